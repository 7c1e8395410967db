# METADATA
# title: Explain a flow
# description: >-
#   What `ketencheck explain` shows: the matrix rows consulted for one flow and, per row, the smallest change
#   of the flow that the row allows (the lawful alternative). The router adds it to the result only when
#   input.explain names a flow.
# scope: package
package ketencheck.explain

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.duration

# METADATA
# title: Explanation
# description: >-
#   With input.explain set to a flow id, {"explain": ...}: the flow, the matrix rows consulted for it and its
#   minimal lawful alternatives; otherwise empty, so that a normal run pays nothing for it.
explanation := {"explain": _explain(flow)} if {
	input.explain
	some flow in input.flows
	flow.id == input.explain
}

explanation := {} if not input.explain

_explain(flow) := {
	"flow": flow.id,
	"rows": [_row_summary(row, flow) | some row in _rows_consulted(flow)],
	"alternatives": [_alternative(flow, row) | some row in _rows_consulted(flow)],
}

# The rows for the flow's recipient and document: the one for its purpose if there is one, else all of them.
_rows_consulted(flow) := [catalogue.row(flow)] if catalogue.row(flow)

_rows_consulted(flow) := [catalogue.row_for(flow.to, flow.document, purpose) |
	some purpose in sort(catalogue.lawful_purposes(flow))
] if {
	not catalogue.row(flow)
	catalogue.lawful_purposes(flow)
}

_rows_consulted(flow) := [] if not catalogue.lawful_purposes(flow)

_row_summary(row, flow) := object.union(
	{
		"id": row.id,
		"purpose": row.purpose,
		"form": row.form,
		"bases": row.bases,
		"matches_purpose": row.purpose == flow.purpose,
	},
	object.union(_row_fields(row, flow.document), _channel(row)),
)

_row_fields(row, document) := {"fields": catalogue.lawful_extract(row, document)} if row.form == "extract"

_row_fields(row, _) := {} if row.form == "integral"

_channel(row) := {"channel": row.channel} if row.channel

_channel(row) := {} if not row.channel

# The smallest change that the row allows: keep what the flow asks for where the row admits it, drop the rest,
# and cite exactly the bases the row requires for what is left.
_alternative(flow, row) := object.union(shape, {"legal_basis": catalogue.required_bases(row, shape)}) if {
	kept := object.filter(flow, ["id", "description", "from", "to", "document", "volume", "dpia"])
	shape := object.union_n([kept, {"purpose": row.purpose}, _form(flow, row), _channel(row), _retention(flow, row)])
}

_form(flow, row) := {"form": "integral"} if _keeps_integral(flow, row)

_form(flow, row) := {"form": "extract", "fields": fields} if {
	not _keeps_integral(flow, row)
	admitted := catalogue.admitted(row, flow.document)
	asked := [f | some f in object.get(flow, "fields", []); f in admitted]
	fields := _nonempty(asked, catalogue.lawful_extract(row, flow.document), row, flow.document)
}

_keeps_integral(flow, row) if {
	row.form == "integral"
	flow.form == "integral"
}

_nonempty(asked, _, _, _) := asked if count(asked) > 0

_nonempty(asked, extract, row, _) := extract if {
	count(asked) == 0
	row.form == "extract"
}

_nonempty(asked, _, row, document) := catalogue.documents[document].fields if {
	count(asked) == 0
	row.form == "integral"
}

_retention(flow, row) := {"retention": flow.retention} if _retention_fits(flow, row)

_retention(flow, row) := {"retention": catalogue.purposes[row.purpose].retention.max} if {
	not _retention_fits(flow, row)
}

_retention_fits(flow, row) if {
	duration.days(flow.retention) <= duration.days(catalogue.purposes[row.purpose].retention.max)
}
