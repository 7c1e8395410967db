package ketencheck.rules.legal_basis_incomplete_test

import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.rules.legal_basis_incomplete as rule

test_a_missing_general_basis_is_denied if {
	r := rule.deny with input as {"flows": [fx.flow({"id": "lb", "legal_basis": ["avg_6_1_c"]})]}
	fx.bare(r) == {{
		"flow": "lb",
		"rule": "legal_basis_incomplete",
		"title": "Legal basis incomplete",
		"severity": "error",
		"message": concat("", [
			"beschikking_afwijzend to COA for einde_opvang must cite avg_6_1_c, vv_7_1e, vw_107_4; missing: ",
			"vv_7_1e (VV 2000 art. 7.1e, text not verified); vw_107_4 (Vw 2000 art. 107(4))",
		]),
		"legal_refs": ["AVG art. 6(1)", "AVG art. 5(1)(a)"],
		"fix": "legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e]",
	}}
}

test_special_bases_are_not_this_rule if {
	flow := fx.flow({
		"to": "BZ", "document": "nader_gehoor", "fields": ["asielmotief"], "purpose": "ambtsbericht_onderzoek",
		"legal_basis": ["avg_6_1_e"], "channel": "schriftelijk",
	})
	fx.findings("legal_basis_incomplete", [flow]) == set()
}

test_all_bases_cited_is_allowed if {
	fx.findings("legal_basis_incomplete", [fx.flow({})]) == set()
}
