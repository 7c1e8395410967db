package ketencheck.rules.wrong_purpose

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Wrong purpose
# description: >-
#   The recipient may receive this document, but not for the purpose the flow states. Personal data are
#   collected for specified purposes and not further processed in a way incompatible with them (purpose
#   binding); the lawful purposes are named, and whether the stated purpose is a task of the recipient.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: AVG art. 5(1)(b)
# custom:
#   severity: error
#   legal_refs:
#     - avg_5_1_b
#     - vw_107_4
deny contains finding if {
	some flow in catalogue.suspects

	# Cheap first: most flows have their row (looked up once for all rules), and need no list of purposes.
	not catalogue.row(flow)
	catalogue.purposes[flow.purpose]
	lawful := catalogue.lawful_purposes(flow)
	not flow.purpose in lawful
	message := sprintf(
		"%s may receive %s only for %s, not for %s; %s",
		[flow.to, flow.document, result.list(lawful), flow.purpose, _task_note(flow)],
	)
	finding := result.finding_with_fix(rego.metadata.chain(), flow, {"lawful": sort(lawful)}, message, _fix(lawful))
}

_task_note(flow) := sprintf("%s is a task of %s", [flow.purpose, flow.to]) if {
	flow.to in catalogue.purposes[flow.purpose].partners
}

_task_note(flow) := sprintf(
	"%s is not a task of %s but of %s",
	[flow.purpose, flow.to, result.list(catalogue.purposes[flow.purpose].partners)],
) if {
	not flow.to in catalogue.purposes[flow.purpose].partners
}

_fix(lawful) := sprintf("purpose: %s", [p]) if {
	count(lawful) == 1
	some p in lawful
}

_fix(lawful) := sprintf("purpose: %s  # one of these", [result.list(lawful)]) if count(lawful) > 1
