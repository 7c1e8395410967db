package ketencheck.rules.dpia_required_test

import data.ketencheck.lib.fixtures_test as fx

_to_bz := fx.flow({
	"id": "bz",
	"to": "BZ",
	"document": "nader_gehoor",
	"fields": ["v_nummer", "asielmotief"],
	"purpose": "ambtsbericht_onderzoek",
	"legal_basis": ["avg_6_1_e", "vw_107a", "vv_7_1c"],
	"channel": "schriftelijk",
})

test_special_data_at_scale_without_a_dpia_is_a_warning if {
	fx.bare(fx.findings("dpia_required", [object.union(_to_bz, {"volume": 5000})])) == {{
		"flow": "bz",
		"rule": "dpia_required",
		"title": "DPIA required",
		"severity": "warning",
		"message_id": "dpia_required",
		"arguments": {"volume": 5000, "fields": ["asielmotief"], "threshold": 1000},
		"legal_refs": ["AVG art. 35(1)", "AVG art. 35(3)(b)"],
		"fix_id": "dpia",
		"fix_arguments": {},
	}}
}

test_criminal_data_at_scale_counts_too if {
	flow := fx.integral({"to": "DTV", "document": "inreisverbod", "purpose": "terugkeer", "volume": 20000})
	count(fx.findings("dpia_required", [flow])) == 1
}

test_a_cited_dpia_is_enough if {
	fx.findings("dpia_required", [object.union(_to_bz, {"volume": 5000, "dpia": "DPIA-2026-017"})]) == set()
}

test_at_or_below_the_threshold_is_fine if {
	fx.findings("dpia_required", [object.union(_to_bz, {"volume": 1000})]) == set()
	fx.findings("dpia_required", [_to_bz]) == set()
}

test_ordinary_data_at_scale_is_fine if {
	fx.findings("dpia_required", [fx.flow({"volume": 100000})]) == set()
}
