package ketencheck.rules.retention_missing_test

import data.ketencheck.lib.fixtures_test as fx

test_a_flow_without_retention_gets_the_purpose_maximum_as_fix if {
	flow := object.remove(fx.flow({"id": "no-retention"}), ["retention"])
	fx.bare(fx.findings("retention_missing", [flow])) == {{
		"flow": "no-retention",
		"rule": "retention_missing",
		"title": "Retention not stated",
		"severity": "info",
		"message_id": "retention_missing",
		"arguments": {
			"recipient": "COA", "purpose": "einde_opvang", "max": "P1Y",
			"retention_source": {
				"verified": false,
				"source": "until reception has ended and the decision to end it can no longer be challenged",
			},
		},
		"legal_refs": ["AVG art. 5(1)(e)", "AVG art. 30(1)(f)"],
		"fix_id": "retention",
		"fix_arguments": {"max": "P1Y"},
	}}
}

test_a_flow_with_retention_is_fine if {
	fx.findings("retention_missing", [fx.flow({})]) == set()
}

test_an_unknown_purpose_is_left_to_unknown_reference if {
	flow := object.remove(fx.flow({"purpose": "xyz"}), ["retention"])
	fx.findings("retention_missing", [flow]) == set()
}

# Pack 1.1: AWR art. 52(4) and BW art. 7:454(3) are record-keeping minimums for others, not maxima for COA or BMA.
test_record_keeping_duties_are_not_presented_as_legal_maxima if {
	eigen := object.remove(fx.flow({"id": "eb", "document": "dwangsom_betaling", "fields": ["v_nummer"], "purpose": "eigen_bijdrage"}), ["retention"])
	medisch := object.remove(fx.integral({"id": "ma", "from": "IND", "to": "BMA", "document": "adviesaanvraag_medisch", "purpose": "medische_advisering"}), ["retention"])
	quoted := {f.flow: [f.arguments.max, f.arguments.retention_source] | some f in fx.findings("retention_missing", [eigen, medisch])}
	quoted.eb[0] == "P7Y"
	quoted.eb[1].verified == false
	startswith(quoted.eb[1].source, "no statute sets a maximum for COA's eigen-bijdrage records")
	quoted.ma[0] == "P20Y"
	quoted.ma[1].verified == false
	startswith(quoted.ma[1].source, "no statute sets a maximum for BMA's advice files")
}

test_a_statutory_maximum_is_quoted_as_set_by_law if {
	flow := object.remove(fx.flow({"id": "no-retention"}), ["retention"])
	law := {"max": "P6M", "verified": true, "source": "Some Act art. 1: at most six months"}
	[f] := [f | some f in fx.findings("retention_missing", [flow])] with data.ketencheck.catalogue.purposes.einde_opvang.retention as law
	[f.arguments.max, f.arguments.retention_source] == ["P6M", {"verified": true, "source": "Some Act art. 1: at most six months"}]
}
