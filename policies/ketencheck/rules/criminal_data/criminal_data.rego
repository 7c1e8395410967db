package ketencheck.rules.criminal_data

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result
import data.ketencheck.lib.sensitive

# METADATA
# scope: document
# title: Criminal data without official authority
# description: >-
#   Personal data relating to criminal convictions and offences (entry-ban grounds, detention grounds,
#   criminal records) may be processed only under control of official authority or where the law
#   authorises it. A criminal-data field may flow only where a matrix row admits it, and the flow must cite
#   the row's basis for it (avg_10); the rows for the alien's lawyer, the guardian and the court list none.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: AVG art. 10
#   - ref: https://wetten.overheid.nl/BWBR0011823/2026-09-01#Hoofdstuk7_Artikel107a
#     description: Vw 2000 art. 107a
# custom:
#   severity: error
#   nl:
#     title: Strafrechtelijke persoonsgegevens zonder grondslag
#     description: >-
#       Strafrechtelijke persoonsgegevens (de grond van een inreisverbod of van bewaring, strafrechtelijke gegevens)
#       mogen alleen worden verwerkt onder toezicht van de overheid of als de wet dat toestaat. Zo'n veld mag alleen
#       worden verstrekt als een matrixrij het toelaat. De verstrekking moet dan ook de grondslag noemen die de rij
#       daarvoor vraagt (AVG art. 10). De rijen voor de advocaat, de voogd en de rechter noemen zo'n grondslag niet.
#   legal_refs:
#     - avg_10
#     - vw_107a
deny contains finding if {
	some flow in sensitive.carrying.criminal
	unadmitted := sensitive.unadmitted(flow, "criminal")
	arguments := {"recipient": flow.to, "fields": sort(unadmitted), "document": flow.document, "purpose": flow.purpose}
	finding := result.finding(rego.metadata.chain(), flow, {"fields": sort(unadmitted)}, "criminal_data.not_admitted", arguments)
}

# vw_107a, which criminal data require too, is legal_basis_incomplete's where the flow carries no special data
# and special_category_data's where it does: this rule reports only the art. 10 bases.
deny contains finding if {
	some flow in sensitive.carrying.criminal
	uncited := sensitive.uncited(flow, "criminal", {"criminal"})
	subject := {"fields": sort(uncited.fields), "missing": sort(uncited.missing)}
	finding := result.finding_with_fix(
		rego.metadata.chain(), flow, subject,
		"criminal_data.basis_missing", object.union(subject, {"flow": flow.id}),
		"legal_basis", {"bases": catalogue.required_bases(uncited.row, flow)},
	)
}
