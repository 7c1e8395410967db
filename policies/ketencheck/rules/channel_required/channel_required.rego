package ketencheck.rules.channel_required

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Channel required
# description: >-
#   The matrix row prescribes a channel and the flow names another one or none. Special data go to BZ
#   (research abroad) only in writing.
# related_resources:
#   - ref: https://wetten.overheid.nl/BWBR0012002
#     description: VV 2000 art. 7.1c (2017 text)
# custom:
#   severity: error
#   nl:
#     title: Kanaal verplicht
#     description: >-
#       De matrixrij schrijft een kanaal voor. De verstrekking noemt een ander kanaal of geen kanaal. Bijzondere
#       persoonsgegevens gaan alleen schriftelijk naar het ministerie van Buitenlandse Zaken (voor onderzoek in het
#       buitenland).
#   legal_refs:
#     - vv_7_1c_2
#     - avg_32
deny contains finding if {
	some flow in catalogue.suspects
	row := catalogue.row(flow)
	required := row.channel
	object.get(flow, "channel", "") != required
	arguments := {"document": flow.document, "recipient": flow.to, "purpose": flow.purpose, "channel": required}
	finding := result.finding_with_fix(
		rego.metadata.chain(), flow, {"channel": required},
		_message_id(flow), object.union(arguments, _named(flow)),
		"channel", {"channel": required},
	)
}

_message_id(flow) := "channel_required" if flow.channel

_message_id(flow) := "channel_required.none" if not flow.channel

_named(flow) := {"named": flow.channel} if flow.channel

_named(flow) := {} if not flow.channel
