package ketencheck.rules.field_not_in_document

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Field not in the document
# description: >-
#   The extract names fields that the document type does not hold. The flow definition then describes data
#   that cannot come from this document, so the controller cannot show what is really provided
#   (accountability). Take the fields from the document that holds them, or drop them.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: AVG art. 5(2)
# custom:
#   severity: error
#   nl:
#     title: Veld staat niet in het document
#     description: >-
#       Het uittreksel noemt velden die niet in dit soort document staan. De beschrijving van de verstrekking gaat dan
#       over gegevens die niet uit dit document kunnen komen. Zo kan de verwerkingsverantwoordelijke niet laten zien wat
#       er echt wordt verstrekt (verantwoordingsplicht). Haal de velden uit het document waar ze in staan, of laat ze
#       weg.
#   legal_refs:
#     - avg_5_1_d
#     - avg_5_2
deny contains finding if {
	some flow in catalogue.suspects
	flow.form == "extract"
	holds := catalogue.document_fields(flow.document)
	absent := {f | some f in flow.fields; catalogue.fields[f]; not f in holds}
	count(absent) > 0
	arguments := {"document": flow.document, "fields": sort(absent), "holds": sort(holds)}
	finding := result.finding(rego.metadata.chain(), flow, {"fields": sort(absent)}, "field_not_in_document", arguments)
}
