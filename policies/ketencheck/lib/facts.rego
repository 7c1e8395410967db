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
	"carried": sort(carried),
	"categories": sort(_categories(carried)),
	"allowed_form": _widest(_forms(flow)),
	"row": _row_id(flow),
} if {
	carried := _carried(flow)
}

# A flow whose document the catalogue does not know carries nothing it could be judged on.
_carried(flow) := carried if carried := catalogue.carried(flow)

_carried(flow) := set() if not catalogue.carried(flow)

# A few set intersections per flow (one per category) rather than a lookup per carried field.
_categories(carried) := {category | some category, ids in _ids_of; count(carried & ids) > 0} | _unknown(carried)

_ids_of := {category: {id | some id, field in catalogue.fields; field.category == category} |
	some field in catalogue.fields
	category := field.category
}

_unknown(carried) := {"unknown"} if count(carried - _known) > 0

_unknown(carried) := set() if count(carried - _known) == 0

_known := {id | some id, _ in catalogue.fields}

# The forms of the rows for each recipient and document ("*" kept as such: it covers any document, known or
# not), built once per evaluation so that each flow costs two lookups, not a scan of the matrix.
_row_forms := {[r, d, row.form] |
	some row in catalogue.rows
	some r in row.recipients
	some d in row.documents
}

_forms_by_pair := {r: {d: {t[2] | some t in _row_forms; t[0] == r; t[1] == d} |
	some u in _row_forms
	u[0] == r
	d := u[1]
} |
	some v in _row_forms
	r := v[0]
}

# Every row for the recipient and document counts, whatever its purpose: the cell of the audit's partner x
# document matrix shows what any purpose would allow.
_forms(flow) := object.get(of_recipient, flow.document, set()) | object.get(of_recipient, "*", set()) if {
	of_recipient := object.get(_forms_by_pair, flow.to, {})
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
