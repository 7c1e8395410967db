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
#   legal_refs:
#     - vv_7_1c_2
#     - avg_32
deny contains finding if {
	some flow in catalogue.suspects
	row := catalogue.row(flow)
	required := row.channel
	object.get(flow, "channel", "") != required
	message := sprintf(
		"%s to %s for %s must go by channel %s; this flow names %s",
		[flow.document, flow.to, flow.purpose, required, _named(flow)],
	)
	fix := sprintf("channel: %s", [required])
	finding := result.finding_with_fix(rego.metadata.chain(), flow, {"channel": required}, message, fix)
}

_named(flow) := flow.channel

_named(flow) := "no channel" if not flow.channel
