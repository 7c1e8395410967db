package ketencheck.rules.retention_exceeds_purpose_test

import data.ketencheck.lib.fixtures_test as fx

test_longer_than_the_purpose_allows_is_a_warning if {
	fx.bare(fx.findings("retention_exceeds_purpose", [fx.flow({"id": "long", "retention": "P2Y"})])) == {{
		"flow": "long",
		"rule": "retention_exceeds_purpose",
		"title": "Retention longer than the purpose allows",
		"severity": "warning",
		"message_id": "retention_exceeds_purpose",
		"arguments": {
			"retention": "P2Y", "max": "P1Y", "purpose": "einde_opvang",
			"retention_source": {
				"verified": false,
				"source": "until reception has ended and the decision to end it can no longer be challenged",
			},
		},
		"legal_refs": ["AVG art. 5(1)(e)"],
		"fix_id": "retention",
		"fix_arguments": {"max": "P1Y"},
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

test_the_purpose_maximum_is_the_limit if {
	flow := fx.flow({"to": "BMA", "purpose": "medische_advisering", "retention": "P20Y"})
	fx.findings("retention_exceeds_purpose", [flow]) == set()
}

# Pack 1.1: BW art. 7:454(3) sets a minimum for a hulpverlener's medical file, not a maximum for BMA.
test_a_record_keeping_duty_is_not_quoted_as_a_legal_maximum if {
	flow := fx.flow({"id": "ma", "to": "BMA", "purpose": "medische_advisering", "retention": "P21Y"})
	[f] := [f | some f in fx.findings("retention_exceeds_purpose", [flow])]
	[f.arguments.max, f.arguments.purpose, f.arguments.retention_source.verified] == ["P20Y", "medische_advisering", false]
}

test_a_statutory_maximum_is_quoted_as_set_by_law if {
	law := {"max": "P6M", "verified": true, "source": "Some Act art. 1"}

	# The maximum in days is precomputed into the index (lib/index.rego), so the test edits both.
	[f] := [f | some f in fx.findings("retention_exceeds_purpose", [fx.flow({"id": "long", "retention": "P1Y"})])]
		with data.ketencheck.catalogue.purposes.einde_opvang.retention as law
		with data.ketencheck.catalogue.index.max_days.einde_opvang as 180
	f.arguments.retention_source == {"verified": true, "source": "Some Act art. 1"}
}
