package ketencheck.rules.legal_basis_not_applicable_test

import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.rules.legal_basis_not_applicable as rule

test_a_basis_the_row_does_not_list_is_a_warning if {
	flows := [fx.flow({"id": "w", "legal_basis": ["avg_6_1_c", "vw_107_4", "vv_7_1e", "avg_9_2_a"]})]
	r := rule.deny with input as {"flows": flows}
	fx.bare(r) == {{
		"flow": "w",
		"rule": "legal_basis_not_applicable",
		"title": "Legal basis does not apply",
		"severity": "warning",
		"message_id": "legal_basis_not_applicable",
		"arguments": {
			"flow": "w", "bases": ["avg_9_2_a"], "document": "beschikking_afwijzend", "recipient": "COA",
			"purpose": "einde_opvang", "listed": ["avg_6_1_c", "vv_7_1e", "vw_107_4"],
		},
		"legal_refs": ["AVG art. 5(2)"],
		"fix_id": "legal_basis",
		"fix_arguments": {"bases": ["avg_6_1_c", "vw_107_4", "vv_7_1e"]},
	}}
}

test_a_warning_does_not_deny if {
	flows := [fx.flow({"legal_basis": ["avg_6_1_c", "vw_107_4", "vv_7_1e", "avg_9_2_a"]})]
	every f in fx.findings("legal_basis_not_applicable", flows) { f.severity == "warning" }
}

test_unknown_bases_are_left_to_unknown_reference if {
	flows := [fx.flow({"legal_basis": ["avg_6_1_c", "vw_107_4", "vv_7_1e", "avg_6_1_x"]})]
	fx.findings("legal_basis_not_applicable", flows) == set()
}

test_row_bases_are_allowed if {
	fx.findings("legal_basis_not_applicable", [fx.flow({})]) == set()
}

# Pack 1.1: citing vw_107a for an entry ban was a warning in v1, whose rows did not list it; now they do.
test_vw_107a_applies_to_an_entry_ban if {
	flow := fx.integral({
		"to": "DTV", "document": "inreisverbod", "purpose": "terugkeer",
		"legal_basis": ["avg_6_1_c", "vw_107_4", "vw_107a", "avg_10"],
	})
	fx.findings("legal_basis_not_applicable", [flow]) == set()
}
