# METADATA
# title: Facts about each flow
# description: >-
#   What the policies establish about a flow besides its findings, for the audit: the fields it carries as the
#   rules count them, their GDPR categories, the widest form the matrix gives its recipient for its document, and
#   its matrix row. The audit shows these instead of deriving them again. Computed only when input.facts is
#   true, so that a check pays nothing for them.
# scope: package
package ketencheck.lib.facts

import data.ketencheck.lib.catalogue

# METADATA
# title: Facts per flow
# description: >-
#   Keyed by flow id, for every flow in input.flows: carried (sorted field ids), categories (sorted distinct
#   categories), allowed_form (integral, extract or none) and row (the row id, or null). Undefined unless
#   input.facts is true.
facts := {flow.id: _facts(flow) | some flow in input.flows} if input.facts == true

_facts(flow) := {
	"carried": sort(_carried(flow)),
	"categories": sort({object.get(catalogue.fields, [f, "category"], "unknown") | some f in _carried(flow)}),
	"allowed_form": _widest({row.form | some row in catalogue.rows; _covers(row, flow)}),
	"row": _row_id(flow),
}

# A flow whose document the catalogue does not know carries nothing it could be judged on.
_carried(flow) := carried if carried := catalogue.carried(flow)

_carried(flow) := set() if not catalogue.carried(flow)

# Every row for the recipient and document, whatever its purpose: the cell of the audit's partner x document
# matrix shows what any purpose would allow.
_covers(row, flow) if {
	flow.to in row.recipients
	flow.document in row.documents
}

_covers(row, flow) if {
	flow.to in row.recipients
	"*" in row.documents
}

_widest(forms) := "integral" if "integral" in forms

_widest(forms) := "extract" if {
	not "integral" in forms
	"extract" in forms
}

_widest(forms) := "none" if {
	not "integral" in forms
	not "extract" in forms
}

_row_id(flow) := catalogue.row(flow).id

_row_id(flow) := null if not catalogue.row(flow)
