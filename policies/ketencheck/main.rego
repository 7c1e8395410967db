# METADATA
# title: ketencheck policy pack for the vreemdelingenketen
# description: >-
#   Entry point. Every single-flow rule package under data.ketencheck.rules and every chain rule package under
#   data.ketencheck.chain contributes to one set of findings, so that all flows are evaluated in one query and
#   adding a rule never touches this router. Waivers are applied here, in the same evaluation.
# scope: package
package ketencheck.main

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.duration
import data.ketencheck.lib.facts
import data.ketencheck.lib.waivers

# METADATA
# title: Findings
# description: Every finding of every single-flow rule and every chain rule about the flows in input.flows.
# entrypoint: true
findings contains finding if {
	some name
	some finding in data.ketencheck.rules[name].deny
}

findings contains finding if {
	some name
	some finding in data.ketencheck.chain[name].deny
}

# METADATA
# title: Result
# description: >-
#   The findings, each marked with the index of the waiver that accepts it; the status of every waiver; and
#   what produced them (policy pack version, bundle revisions, OPA version), for reports. With input.explain set to a flow id,
#   also the matrix rows consulted for that flow and its minimal lawful alternatives. With input.facts true, also
#   the facts of every flow (lib/facts.rego).
# entrypoint: true
result := object.union_n([
	{
		"findings": _marked,
		"waivers": [{"index": i, "status": _status(i, waiver)} | some i, waiver in _waivers],
		"pack": data.ketencheck.catalogue.pack,
		"opa_version": opa.runtime().version,
		"bundles": _bundles,
		"verdicts": _verdicts,
	},
	_explanation,
	_facts,
])

# Facts about every flow (lib/facts.rego), for the audit: only when asked for, so that a check pays nothing.
_facts := {"facts": facts.facts} if input.facts == true

_facts := {} if not input.facts == true

_marked := [_waive(finding) | some finding in findings]

# Each flow's verdict, so that a decision log says it without the harness: deny on an error no waiver accepts.
_verdicts := {flow.id: _verdict_of[flow.id in _denying] | some flow in input.flows}

_verdict_of := {true: "deny", false: "allow"}

_denying := {finding.flow |
	some finding in _marked
	finding.severity == "error"
	not "waived" in object.keys(finding)
}

# The revision of every bundle the engine loaded (none when the pack is loaded as a directory).
_bundles := {name: b.manifest.revision | some name, b in data.system.bundles}

# Waivers (lib/waivers.rego): the router marks each finding with the waiver that accepts it and reports the
# status of every waiver.
_waivers := waivers.listed

# The day to judge expiry by: the evaluation date (lib/law.rego), as for citations.
today := waivers.today

_key(flow, rule) := waivers.key(flow, rule)

_accepting(finding) := waivers.accepting(finding)

_waive(finding) := object.union(finding, {"waived": min(accepting)}) if {
	accepting := _accepting(finding)
	count(accepting) > 0
}

_waive(finding) := finding if count(_accepting(finding)) == 0

_applied := {finding.waived | some finding in _marked; "waived" in object.keys(finding)}

_found := {_key(finding.flow, finding.rule) | some finding in findings}

_refused := {_key(finding.flow, finding.rule) | some finding in findings; not finding.waivable}

_status(_, waiver) := "expired" if waiver.expires < today

_status(_, waiver) := "refused" if {
	waiver.expires >= today
	_key(waiver.flow, waiver.rule) in _refused
}

_status(i, waiver) := "applied" if {
	i in _applied
	waiver.version == 2
}

_status(i, waiver) := "unbound" if {
	i in _applied
	object.get(waiver, "version", 1) == 1
}

# The flow still has a finding of the rule, but not the one that was accepted: the flow or the finding changed.
_status(i, waiver) := "stale" if {
	waiver.expires >= today
	not i in _applied
	_key(waiver.flow, waiver.rule) in _found
	not _key(waiver.flow, waiver.rule) in _refused
}

_status(_, waiver) := "unmatched" if {
	waiver.expires >= today
	not _key(waiver.flow, waiver.rule) in _found
}

# Explain: only when asked for, so that a normal run pays nothing for it.
_explanation := {"explain": _explain(flow)} if {
	some flow in input.flows
	flow.id == input.explain
}

_explanation := {} if not input.explain

_explain(flow) := {
	"flow": flow.id,
	"rows": [_row_summary(row, flow) | some row in _rows_consulted(flow)],
	"alternatives": [_alternative(flow, row) | some row in _rows_consulted(flow)],
}

# The rows for the flow's recipient and document: the one for its purpose if there is one, else all of them.
_rows_consulted(flow) := [catalogue.row(flow)] if catalogue.row(flow)

_rows_consulted(flow) := [catalogue.row_index[concat("|", [flow.to, flow.document, purpose])] |
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
