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
#   nl:
#     title: Bewaartermijn niet genoemd
#     description: >-
#       De verstrekking zegt niet hoe lang de ontvanger de gegevens bewaart. Persoonsgegevens mogen niet langer worden
#       bewaard dan het doel nodig heeft (opslagbeperking). Het verwerkingsregister moet de termijn noemen waarna de
#       gegevens worden gewist. De beschrijving van de verstrekking is de plek waar die termijn wordt vastgelegd.
#   legal_refs:
#     - avg_5_1_e
#     - avg_30_1_f
deny contains finding if {
	some flow in catalogue.suspects
	not flow.retention
	limit := catalogue.purposes[flow.purpose].retention
	arguments := {
		"recipient": flow.to, "purpose": flow.purpose, "max": limit.max,
		"retention_source": catalogue.retention_source(limit),
	}
	finding := result.finding_with_fix(
		rego.metadata.chain(), flow, {"max": limit.max},
		"retention_missing", arguments, "retention", {"max": limit.max},
	)
}
