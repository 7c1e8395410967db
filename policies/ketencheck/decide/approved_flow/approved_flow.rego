package ketencheck.decide.approved_flow

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Exchange exceeds its approved flow
# description: >-
#   An exchange sent as an approved flow (decide's context.flow_id) must fit that flow: the same sender,
#   recipient, document and purpose, no field the approved flow does not carry, and, when it names a
#   processing activity, the activity the approved flow is registered as. Otherwise run time would exceed
#   what was checked at design time, chain rules included. Input: the one exchange as input.flows[0],
#   the approved flows in data.ketencheck.approved (ketencheck policy build --approved).
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj#d1e1807-1-1
#     description: AVG art. 5(1)(b) and (c)
# custom:
#   severity: error
#   waivable: false
#   legal_refs:
#     - avg_5_1_b
#     - avg_5_1_c
#     - avg_30_1_f
deny contains finding if {
	some flow in input.flows
	not _approved[flow.id]
	finding := result.finding(rego.metadata.chain(), flow, {"approved": false}, "approved_flow.unknown", {"flow": flow.id})
}

deny contains finding if {
	some flow in input.flows
	approved := _approved[flow.id]
	changed := [key | some key in ["from", "to", "document", "purpose"]; flow[key] != approved[key]]
	count(changed) > 0
	finding := result.finding(rego.metadata.chain(), flow, {"changed": changed}, "approved_flow.changed", {"flow": flow.id, "keys": changed})
}

deny contains finding if {
	some flow in input.flows
	approved := _approved[flow.id]
	beyond := catalogue.carried(flow) - catalogue.carried(approved)
	count(beyond) > 0
	arguments := {"flow": flow.id, "fields": sort(beyond)}
	finding := result.finding(rego.metadata.chain(), flow, {"fields": sort(beyond)}, "approved_flow.fields", arguments)
}

deny contains finding if {
	some flow in input.flows
	_approved[flow.id]
	named := input.processing_activity_id
	registered := object.get(data.ketencheck.approved, ["activities", flow.id], "")
	named != registered
	arguments := {"activity": named, "flow": flow.id, "registered": registered}
	finding := result.finding(rego.metadata.chain(), flow, {"processing_activity_id": named}, "approved_flow.activity", arguments)
}

_approved[flow.id] := flow if some flow in data.ketencheck.approved.flows
