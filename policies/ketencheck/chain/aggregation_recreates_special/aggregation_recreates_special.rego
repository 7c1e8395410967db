package ketencheck.chain.aggregation_recreates_special

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.chain
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Extracts re-create the special-category data
# description: >-
#   Several extracts of one document reach one recipient, each allowed on its own, and together they carry
#   every special-category field of the document, which no single row lets that recipient receive. Splitting
#   a document that may not flow integrally into extracts that add up to its sensitive part circumvents the
#   ban on processing special categories.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj#d1e2051-1-1
#     description: AVG art. 9(1)
# custom:
#   severity: error
#   nl:
#     title: Uittreksels vormen samen de bijzondere persoonsgegevens
#     description: >-
#       Meerdere uittreksels van één document komen bij één ontvanger. Elk uittreksel mag op zich. Samen bevatten ze
#       alle bijzondere persoonsgegevens van het document, terwijl geen enkele matrixrij die ontvanger dat toestaat. Wie
#       een document dat niet volledig mag worden verstrekt, opknipt in uittreksels die samen het gevoelige deel vormen,
#       omzeilt het verbod op het verwerken van bijzondere persoonsgegevens.
#   legal_refs:
#     - avg_9_1
#     - avg_5_1_c
#     - vw_107_4
deny contains finding if {
	some group in chain.extract_groups
	some id in group.members
	flow := chain.allowed_extracts[id]
	together := group.fields
	special := catalogue.document_fields_of_category(flow.document, "special")
	count(special) > 0
	count(special - together) == 0
	not chain.admitted_by_some_row(flow.to, flow.document, together)
	arguments := {
		"others": chain.others(group, id), "recipient": flow.to, "document": flow.document,
		"fields": sort(special),
	}
	subject := {"fields": sort(special), "with": sort(group.members - {id})}
	finding := result.finding(rego.metadata.chain(), flow, subject, "aggregation_recreates_special", arguments)
}
