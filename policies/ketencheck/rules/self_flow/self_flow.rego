package ketencheck.rules.self_flow

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Self-flow
# description: >-
#   Sender and recipient are the same partner. Provision under Vw 2000 art. 107(4) is to another body; a flow
#   to oneself is a modelling error that hides who really receives the data.
# related_resources:
#   - ref: https://wetten.overheid.nl/BWBR0011823/2026-09-01#Hoofdstuk7_Artikel107
#     description: Vw 2000 art. 107(4)
# custom:
#   severity: error
#   nl:
#     title: Verstrekking aan zichzelf
#     description: >-
#       Verstrekker en ontvanger zijn dezelfde partner. Artikel 107 lid 4 Vreemdelingenwet 2000 gaat over verstrekking
#       aan een ander orgaan. Een verstrekking aan zichzelf is een fout in de beschrijving: zo blijft verborgen wie de
#       gegevens echt ontvangt.
#   legal_refs:
#     - vw_107_4
#     - avg_5_2
deny contains finding if {
	some flow in catalogue.suspects
	flow.from == flow.to
	finding := result.finding(rego.metadata.chain(), flow, {}, "self_flow", {"sender": flow.from, "document": flow.document})
}
