package ketencheck.rules.retention_exceeds_purpose

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Retention longer than the purpose allows
# description: >-
#   The flow's retention period is longer than the maximum the policy pack sets for its purpose. Data kept
#   beyond what the purpose needs is no longer kept for that purpose (storage limitation); the recipient must
#   shorten the period or show the statutory retention duty that requires it. Where no statute sets the
#   maximum, the finding says it is a pack default, to be confirmed against the recipient's selectielijst.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj#d1e1807-1-1
#     description: AVG art. 5(1)(e)
# custom:
#   severity: warning
#   nl:
#     title: Bewaartermijn langer dan het doel toestaat
#     description: >-
#       De bewaartermijn van de verstrekking is langer dan de langste termijn voor haar doel. Gegevens die langer worden
#       bewaard dan het doel nodig heeft, worden niet meer voor dat doel bewaard (opslagbeperking). De ontvanger moet de
#       termijn korter maken of de wettelijke bewaarplicht laten zien die de langere termijn vraagt. Legt geen wet de
#       langste termijn vast, dan zegt de bevinding dat het een standaardwaarde van ketencheck is. De ontvanger toetst
#       die aan zijn selectielijst.
#   legal_refs:
#     - avg_5_1_e
deny contains finding if {
	some flow in catalogue.suspects
	limit := catalogue.purposes[flow.purpose].retention
	catalogue.retention_exceeds(flow.retention, flow.purpose)
	arguments := {
		"retention": flow.retention, "max": limit.max, "purpose": flow.purpose,
		"retention_source": catalogue.retention_source(limit),
	}
	finding := result.finding_with_fix(
		rego.metadata.chain(), flow, {"retention": flow.retention, "max": limit.max},
		"retention_exceeds_purpose", arguments, "retention", {"max": limit.max},
	)
}
