package ketencheck.chain.aggregation_purpose_separation

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.chain
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Extracts combine beyond their purpose
# description: >-
#   Several extracts of one document reach one recipient, each allowed on its own, and together they hold
#   fields that the row of this flow's purpose does not admit. Data received for one purpose may not be used
#   for another: the recipient must show that it keeps the purposes apart, or the flows must be merged into
#   what one row allows.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj#d1e1807-1-1
#     description: AVG art. 5(1)(b), 5(1)(c)
# custom:
#   severity: warning
#   nl:
#     title: Uittreksels samen ruimer dan het doel
#     description: >-
#       Meerdere uittreksels van één document komen bij één ontvanger. Elk uittreksel mag op zich. Samen bevatten ze
#       velden die de matrixrij voor het doel van deze verstrekking niet toelaat. Gegevens die voor het ene doel zijn
#       ontvangen, mogen niet voor een ander doel worden gebruikt (doelbinding). De ontvanger moet laten zien dat hij de
#       doelen gescheiden houdt, of de verstrekkingen moeten samen binnen één matrixrij blijven.
#   legal_refs:
#     - avg_5_1_b
#     - avg_5_1_c
#     - avg_25_2
deny contains finding if {
	some group in chain.extract_groups
	some id in group.members
	flow := chain.allowed_extracts[id]
	together := group.fields
	beyond := together - catalogue.admitted_for(flow)
	count(beyond) > 0
	not _recreates_special(flow, together)
	arguments := {
		"others": chain.others(group, id), "recipient": flow.to, "document": flow.document,
		"purpose": flow.purpose, "fields": sort(beyond),
	}
	subject := {"fields": sort(beyond), "with": sort(group.members - {id})}
	finding := result.finding(rego.metadata.chain(), flow, subject, "aggregation_purpose_separation", arguments)
}

# aggregation_recreates_special reports that case as an error instead.
_recreates_special(flow, together) if {
	special := catalogue.document_fields_of_category(flow.document, "special")
	count(special) > 0
	count(special - together) == 0
	not chain.admitted_by_some_row(flow.to, flow.document, together)
}
