package ketencheck.rules.legal_basis_incomplete

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.law
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Legal basis incomplete
# description: >-
#   The flow does not cite every general legal basis of its matrix row. Processing is lawful only on a
#   basis of AVG art. 6(1), and the provision itself needs its statutory ground (Vw 2000 art. 107, the
#   designating regulation, the sector law). That includes Vw 2000 art. 107a, the national ground for
#   criminal data too, where only criminal data make it required. Missing special-category bases (vw_107a
#   and vw_107_2_a among them) and the missing avg_10 are reported by special_category_data and
#   criminal_data.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: AVG art. 6(1)
# custom:
#   severity: error
#   nl:
#     title: Grondslag onvolledig
#     description: >-
#       De verstrekking noemt niet elke algemene grondslag van haar matrixrij. Een verwerking is alleen rechtmatig met
#       een grondslag uit AVG art. 6 lid 1. De verstrekking zelf heeft ook een wettelijke grondslag nodig: artikel 107
#       Vreemdelingenwet 2000, de regeling die de ontvanger aanwijst of de wet van de sector. Daar hoort ook artikel
#       107a Vreemdelingenwet 2000 bij als alleen strafrechtelijke persoonsgegevens die grondslag nodig maken. Een
#       ontbrekende grondslag voor bijzondere of strafrechtelijke persoonsgegevens meldt ketencheck apart
#       (special_category_data, criminal_data).
#   legal_refs:
#     - avg_6_1
#     - avg_5_1_a
deny contains finding if {
	some flow in catalogue.suspects
	row := catalogue.row(flow)

	# Cheap first: most flows cite every basis of their row, and need no look at what they carry.
	count(catalogue.row_bases_of_kinds(row, {"general", "special_or_criminal"}) - catalogue.cited(flow)) > 0
	missing := catalogue.missing_bases(row, flow, _kinds(flow))
	count(missing) > 0
	required := catalogue.required_bases(row, flow)
	arguments := {
		"document": flow.document, "recipient": flow.to, "purpose": flow.purpose, "required": sort(required),
		"missing_law": _describe(missing),
	}
	finding := result.finding_with_fix(
		rego.metadata.chain(), flow, {"missing": sort(missing)},
		"legal_basis_incomplete", arguments, "legal_basis", {"bases": required},
	)
}

# The kinds this rule reports. vw_107a is special_category_data's where the flow carries special-category data
# (as in pack 1.0), and this rule's where only criminal data make it required (pack 1.1, CHANGELOG.md).
_kinds(flow) := {"general"} if count(catalogue.carried_of_category(flow, "special")) > 0

_kinds(flow) := {"general", "special_or_criminal"} if count(catalogue.carried_of_category(flow, "special")) == 0

# Each missing basis with the provisions it rests on as in force on the evaluation date: the label of each, in
# English and (where the law catalogue has it) Dutch, and whether its text was verified.
_describe(ids) := [{"id": id, "sources": [_cited(s) | some s in law.basis_sources(id)]} | some id in sort(ids)]

_cited(source) := object.filter(source, ["label", "label_nl", "verified"])
