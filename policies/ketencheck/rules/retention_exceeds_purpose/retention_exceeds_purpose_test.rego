package ketencheck.rules.retention_exceeds_purpose_test

import data.ketencheck.lib.fixtures_test as fx

test_longer_than_the_purpose_allows_is_a_warning if {
	fx.bare(fx.findings("retention_exceeds_purpose", [fx.flow({"id": "long", "retention": "P2Y"})])) == {{
		"flow": "long",
		"rule": "retention_exceeds_purpose",
		"title": "Retention longer than the purpose allows",
		"severity": "warning",
		"message": concat("", [
			"retention P2Y is longer than the P1Y allowed for einde_opvang (pack default: until reception has ended ",
			"and the decision to end it can no longer be challenged)",
		]),
		"legal_refs": ["AVG art. 5(1)(e)"],
		"fix": "retention: P1Y",
	}}
}

test_exactly_the_maximum_is_fine if {
	fx.findings("retention_exceeds_purpose", [fx.flow({"retention": "P1Y"})]) == set()
	fx.findings("retention_exceeds_purpose", [fx.flow({"retention": "P12M"})]) == set()
}

test_one_day_over_is_a_warning if {
	count(fx.findings("retention_exceeds_purpose", [fx.flow({"retention": "P1Y1D"})])) == 1
	count(fx.findings("retention_exceeds_purpose", [fx.flow({"retention": "P53W"})])) == 1
}

test_a_legal_retention_duty_is_the_limit if {
	flow := fx.flow({"to": "BMA", "purpose": "medische_advisering", "retention": "P20Y"})
	fx.findings("retention_exceeds_purpose", [flow]) == set()
}
