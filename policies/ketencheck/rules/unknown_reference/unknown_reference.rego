package ketencheck.rules.unknown_reference

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result
import data.ketencheck.lib.suggest

# Each reference: the flow key, what it names, the catalogue section and the `ketencheck catalogue` topic.
_references(flow) := [
	["from", "sender", flow.from, catalogue.partners, "partners"],
	["to", "recipient", flow.to, catalogue.partners, "partners"],
	["document", "document", flow.document, catalogue.documents, "documents"],
	["purpose", "purpose", flow.purpose, catalogue.purposes, "purposes"],
]

# Nearly every flow names only known ids: one pass over the flows finds the few that do not, and only those
# are walked id by id (three walks over every flow cost more than the rest of this rule).
_suspects := [flow | some flow in input.flows; not _all_known(flow)]

_all_known(flow) if {
	_names_known(flow)
	count(catalogue.cited(flow) - _known_bases) == 0
	count(catalogue.named_fields(flow) - _known_fields) == 0
}

_names_known(flow) if {
	catalogue.partners[flow.from]
	catalogue.partners[flow.to]
	catalogue.documents[flow.document]
	catalogue.purposes[flow.purpose]
}

# METADATA
# scope: document
# title: Unknown reference
# description: >-
#   The flow names a partner, document, field, purpose or legal basis that the catalogue does not know, so
#   nothing about it can be shown to be lawful. The closest known id is suggested; `ketencheck catalogue`
#   lists them all. It cannot be waived or baselined: the gate never passes what it could not judge.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: AVG art. 5(2)
# custom:
#   severity: error
#   waivable: false
#   legal_refs:
#     - avg_5_2
deny contains finding if {
	some flow in _suspects
	not _names_known(flow)
	some [key, what, id, known, topic] in _references(flow)
	not known[id]
	finding := _finding(rego.metadata.chain(), flow, [key, what, id, known, topic], _fix_scalar)
}

deny contains finding if {
	some flow in _suspects
	some id in flow.legal_basis
	not catalogue.legal_bases[id]
	finding := _finding(
		rego.metadata.chain(), flow,
		["legal_basis", "legal basis", id, catalogue.legal_bases, "legal-bases"], _fix_list(flow.legal_basis),
	)
}

deny contains finding if {
	some flow in _suspects
	some id in flow.fields
	not catalogue.fields[id]
	finding := _finding(rego.metadata.chain(), flow, ["fields", "field", id, catalogue.fields, "fields"], _fix_list(flow.fields))
}

_known_bases := {id | some id, _ in catalogue.legal_bases}

_known_fields := {id | some id, _ in catalogue.fields}

# The fix names the corrected key: the guess itself for a scalar, the whole list with the guess in place for a list.
_fix_scalar := "scalar"

_fix_list(ids) := ids

_fix_value("scalar", _, guess) := guess

_fix_value(ids, id, guess) := result.yaml_list([_replace(x, id, guess) | some x in ids]) if is_array(ids)

_replace(x, id, guess) := guess if x == id

_replace(x, id, _) := x if x != id

_finding(chain, flow, [key, what, id, known, _], original) := result.finding_with_fix(
	chain, flow, {"key": key, "id": id},
	sprintf("unknown %s '%s'; did you mean '%s'?", [what, id, guess]),
	sprintf("%s: %s", [key, _fix_value(original, id, guess)]),
) if {
	guess := suggest.closest(id, object.keys(known))
}

_finding(chain, flow, [key, what, id, known, topic], _) := result.finding(
	chain, flow, {"key": key, "id": id},
	sprintf("unknown %s '%s'; `ketencheck catalogue %s` lists the known ones", [what, id, topic]),
) if {
	not suggest.closest(id, object.keys(known))
}
