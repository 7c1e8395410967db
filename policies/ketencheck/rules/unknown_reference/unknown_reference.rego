package ketencheck.rules.unknown_reference

import data.ketencheck.catalogue as cat
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
# The test is a function of the ids alone, so that it is evaluated once per query for each combination of them
# (OPA memoises a function by its arguments), not once per flow.
_suspects := [flow |
	some flow in catalogue.suspects
	not _all_known(
		flow.from, flow.to, flow.document, flow.purpose,
		object.get(flow, "legal_basis", []), object.get(flow, "fields", []),
	)
]

_all_known(from, to, document, purpose, bases, fields) if {
	cat.partners[from]
	cat.partners[to]
	cat.documents[document]
	cat.purposes[purpose]

	# Each id looked up where the catalogue keys it: no set of every known id is built per evaluation.
	count([id | some id in bases; not cat.legal_bases[id]]) == 0
	count([id | some id in fields; not cat.fields[id]]) == 0
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
#   nothing about it can be shown to be lawful. Where the id is a typo away from a known one (case, spacing,
#   at most two edits) that id is suggested as a guess; `ketencheck catalogue` lists them all. A legal basis
#   is never guessed from its spelling (avg_9_2_i is not avg_9_2_g): its fix is what the flow's matrix row
#   requires. It cannot be waived or baselined: the gate never passes what it could not judge.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: AVG art. 5(2)
# custom:
#   severity: error
#   nl:
#     title: Onbekende verwijzing
#     description: >-
#       De verstrekking noemt een partner, document, veld, doel of grondslag die ketencheck niet kent. Dan kan niets
#       ervan rechtmatig blijken. Lijkt de id op een bekende id (hoofdletters, spaties, hooguit twee tekens anders), dan
#       stelt ketencheck die id voor. `ketencheck catalogue` toont alle id's. Een grondslag wordt nooit geraden uit de
#       spelling (avg_9_2_i is niet avg_9_2_g): de oplossing is wat de matrixrij vraagt. Voor deze bevinding bestaat
#       geen ontheffing en geen baseline: wat ketencheck niet kon beoordelen, komt nooit door de controle.
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
	finding := _basis_finding(rego.metadata.chain(), flow, id)
}

deny contains finding if {
	some flow in _suspects
	some id in flow.fields
	not catalogue.fields[id]
	finding := _finding(rego.metadata.chain(), flow, ["fields", "field", id, catalogue.fields, "fields"], _fix_list(flow.fields))
}

# The fix names the corrected key: the guess itself for a scalar, the whole list with the guess in place for a list.
_fix_scalar := "scalar"

_fix_list(ids) := ids

_fix("scalar", key, _, guess) := ["replace", {"key": key, "value": guess}]

_fix(ids, key, id, guess) := ["replace.list", {"key": key, "values": [_replace(x, id, guess) | some x in ids]}] if {
	is_array(ids)
}

_replace(x, id, guess) := guess if x == id

_replace(x, id, _) := x if x != id

_finding(chain, flow, [key, what, id, known, _], original) := result.finding_with_fix(
	chain, flow, {"key": key, "id": id},
	"unknown_reference.guess", {"what": what, "id": id, "guess": guess},
	fix_id, fix_arguments,
) if {
	guess := suggest.closest(id, object.keys(known))
	[fix_id, fix_arguments] := _fix(original, key, id, guess)
}

_finding(chain, flow, [key, what, id, known, topic], _) := result.finding(
	chain, flow, {"key": key, "id": id},
	"unknown_reference.no_guess", {"what": what, "id": id, "topic": topic},
) if {
	not suggest.closest(id, object.keys(known))
}

# A legal basis is law, not spelling: two grounds one letter apart are different grounds (AVG art. 9(2)(i) public
# health, (g) substantial public interest). The fix is what the row requires, never a similar-looking id.
_basis_finding(chain, flow, id) := result.finding_with_fix(
	chain, flow, {"key": "legal_basis", "id": id},
	"unknown_reference.legal_basis",
	{"id": id, "document": flow.document, "recipient": flow.to, "purpose": flow.purpose, "required": sort(bases)},
	"legal_basis", {"bases": bases},
) if {
	bases := catalogue.required_bases(catalogue.row(flow), flow)
}

_basis_finding(chain, flow, id) := result.finding(
	chain, flow, {"key": "legal_basis", "id": id},
	"unknown_reference.legal_basis.no_row", {"id": id},
) if {
	not catalogue.row(flow)
}
