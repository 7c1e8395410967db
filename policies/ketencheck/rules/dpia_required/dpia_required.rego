package ketencheck.rules.dpia_required

import data.ketencheck.catalogue.dpia
import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: DPIA required
# description: >-
#   The flow carries special-category or criminal data at a declared volume above the pack's large-scale
#   threshold, and cites no DPIA. Large-scale processing of such data always requires a data protection
#   impact assessment before it starts; the flow must name the DPIA that covers it.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj#d1e3472-1-1
#     description: AVG art. 35(3)(b)
# custom:
#   severity: warning
#   nl:
#     title: DPIA verplicht
#     description: >-
#       De verstrekking bevat bijzondere of strafrechtelijke persoonsgegevens, in een aantal boven de grens voor
#       grootschalige verwerking. Er is geen DPIA genoemd. Voor grootschalige verwerking van zulke gegevens is altijd
#       vooraf een DPIA nodig. De verstrekking moet de DPIA noemen die haar dekt.
#   legal_refs:
#     - avg_35_1
#     - avg_35_3_b
deny contains finding if {
	some flow in catalogue.suspects
	flow.volume > dpia.volume_threshold
	not flow.dpia
	sensitive := catalogue.carried_of_category(flow, "special") | catalogue.carried_of_category(flow, "criminal")
	count(sensitive) > 0
	subject := {"fields": sort(sensitive), "volume": flow.volume}
	arguments := object.union(subject, {"threshold": dpia.volume_threshold})
	finding := result.finding_with_fix(rego.metadata.chain(), flow, subject, "dpia_required", arguments, "dpia", {})
}
