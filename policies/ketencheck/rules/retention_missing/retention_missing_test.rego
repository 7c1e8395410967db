package ketencheck.rules.retention_missing_test

import data.ketencheck.lib.fixtures_test as fx

test_a_flow_without_retention_gets_the_purpose_maximum_as_fix if {
	flow := object.remove(fx.flow({"id": "no-retention"}), ["retention"])
	fx.bare(fx.findings("retention_missing", [flow])) == {{
		"flow": "no-retention",
		"rule": "retention_missing",
		"title": "Retention not stated",
		"severity": "info",
		"message": concat("", [
			"no retention period: state how long COA keeps these data for einde_opvang (the pack allows at most P1Y: ",
			"pack default: until reception has ended and the decision to end it can no longer be challenged)",
		]),
		"legal_refs": ["AVG art. 5(1)(e)", "AVG art. 30(1)(f)"],
		"fix": "retention: P1Y",
	}}
}

test_a_flow_with_retention_is_fine if {
	fx.findings("retention_missing", [fx.flow({})]) == set()
}

test_an_unknown_purpose_is_left_to_unknown_reference if {
	flow := object.remove(fx.flow({"purpose": "xyz"}), ["retention"])
	fx.findings("retention_missing", [flow]) == set()
}
