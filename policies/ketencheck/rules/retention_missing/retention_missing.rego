package ketencheck.rules.retention_missing

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Retention not stated
# description: >-
#   The flow does not say how long the recipient keeps what it receives. Personal data may be kept no longer
#   than the purpose needs (storage limitation), and the register of processing must record the erasure
#   term; a flow definition is where that term is decided.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj#d1e1807-1-1
#     description: AVG art. 5(1)(e)
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj#d1e3265-1-1
#     description: AVG art. 30(1)(f)
# custom:
#   severity: info
#   legal_refs:
#     - avg_5_1_e
#     - avg_30_1_f
deny contains finding if {
	some flow in catalogue.suspects
	not flow.retention
	limit := catalogue.purposes[flow.purpose].retention
	message := sprintf(
		"no retention period: state how long %s keeps these data for %s (the pack allows at most %s; %s)",
		[flow.to, flow.purpose, limit.max, catalogue.retention_source(limit)],
	)
	finding := result.finding_with_fix(rego.metadata.chain(), flow, {"max": limit.max}, message, sprintf("retention: %s", [limit.max]))
}
