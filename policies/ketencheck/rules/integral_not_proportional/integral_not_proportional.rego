package ketencheck.rules.integral_not_proportional

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Integral where an extract suffices
# description: >-
#   The matrix row for the flow's recipient, document and purpose allows only an extract, but the flow sends
#   the whole document. Provision is limited to what the recipient needs for its task and must not harm the
#   data subject's privacy disproportionately: the lawful extract is the fix. This is the 2021 case of IND's
#   integral asylum decisions to COA.
# related_resources:
#   - ref: https://wetten.overheid.nl/BWBR0011823/2026-09-01#Hoofdstuk7_Artikel107
#     description: Vw 2000 art. 107 (lid 4, lid 10)
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj#d1e1807-1-1
#     description: AVG art. 5(1)(c)
# custom:
#   severity: error
#   nl:
#     title: Volledig document waar een uittreksel volstaat
#     description: >-
#       De matrixrij voor deze ontvanger, dit document en dit doel staat alleen een uittreksel toe. De verstrekking
#       stuurt het volledige document. Een verstrekking blijft beperkt tot wat de ontvanger nodig heeft voor zijn taak.
#       Zij mag de persoonlijke levenssfeer van de betrokkene niet onevenredig schaden. De oplossing is het uittreksel
#       dat wel mag. Dit is de zaak uit 2021: de IND stuurde toen volledige asielbeschikkingen naar het COA.
#   legal_refs:
#     - avg_5_1_c
#     - vw_107_4
#     - vw_107_proportionality
deny contains finding if {
	some flow in catalogue.suspects
	flow.form == "integral"
	row := catalogue.row(flow)
	row.form == "extract"
	extract := catalogue.lawful_extract(row, flow.document)
	arguments := {
		"recipient": flow.to, "document": flow.document, "purpose": flow.purpose, "limit": count(extract),
		"total": count(catalogue.document_fields(flow.document)),
	}
	special := catalogue.carried_of_category(flow, "special")

	# Every field the row admits is an upper bound, not the recommended extract: the fix template's comment says
	# so in the YAML that is pasted.
	finding := result.finding_with_fix(
		rego.metadata.chain(), flow, {"fields": sort(catalogue.carried(flow))},
		_message_id(special), object.union(arguments, _special(special)),
		"extract.upper_bound", {"fields": extract},
	)
}

_message_id(special) := "integral_not_proportional.special" if count(special) > 0

_message_id(special) := "integral_not_proportional" if count(special) == 0

_special(special) := {"special": sort(special)} if count(special) > 0

_special(special) := {} if count(special) == 0
