package ketencheck.rules.criminal_data_test

import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.rules.criminal_data as rule

test_criminal_data_without_avg_10_is_denied if {
	flows := [fx.integral({
		"id": "ib",
		"to": "DTV",
		"document": "inreisverbod",
		"purpose": "terugkeer",
		"legal_basis": ["avg_6_1_c", "vw_107_4"],
	})]
	r := rule.deny with input as {"flows": flows}
	fx.bare(r) == {{
		"flow": "ib",
		"rule": "criminal_data",
		"title": "Criminal data without official authority",
		"severity": "error",
		"message_id": "criminal_data.basis_missing",
		"arguments": {"flow": "ib", "fields": ["inreisverbod_grond"], "missing": ["avg_10"]},
		"legal_refs": ["AVG art. 10", "Vw 2000 art. 107a"],
		"fix_id": "legal_basis",
		"fix_arguments": {"bases": ["avg_6_1_c", "vw_107_4", "vw_107a", "avg_10"]},
	}}
}

test_criminal_data_no_row_admits_is_denied if {
	flows := [fx.flow({"id": "ib", "document": "inreisverbod", "fields": ["v_nummer", "inreisverbod_grond"]})]
	some f in fx.findings("criminal_data", flows)
	f.message_id == "criminal_data.not_admitted"
	f.arguments == {
		"recipient": "COA", "fields": ["inreisverbod_grond"], "document": "inreisverbod",
		"purpose": "einde_opvang",
	}
}

test_criminal_data_with_avg_10_is_allowed if {
	flows := [fx.integral({
		"to": "DTV",
		"document": "inreisverbod",
		"purpose": "terugkeer",
		"legal_basis": ["avg_6_1_c", "vw_107_4", "avg_10"],
	})]
	fx.findings("criminal_data", flows) == set()
}

test_the_court_needs_no_avg_10 if {
	flows := [fx.integral({
		"to": "RECHTER",
		"document": "maatregel_bewaring",
		"purpose": "rechterlijke_toetsing",
		"legal_basis": ["avg_6_1_c", "awb_8_42"],
	})]
	fx.findings("criminal_data", flows) == set()
}

test_an_extract_without_criminal_fields_needs_no_avg_10 if {
	flows := [fx.flow({"to": "DTV", "document": "inreisverbod", "purpose": "terugkeer", "fields": ["v_nummer"]})]
	fx.findings("criminal_data", flows) == set()
}

test_an_unknown_purpose_is_left_to_unknown_reference if {
	flows := [fx.flow({"document": "inreisverbod", "purpose": "xyz", "fields": ["v_nummer", "inreisverbod_grond"]})]
	fx.findings("criminal_data", flows) == set()
}

test_unadmitted_criminal_data_is_reported_once_not_also_as_a_missing_basis if {
	# COA has no row for the inreisverbod: one finding (not admitted), not a second one for the missing avg_10.
	# AVIM's row admits it but requires avg_10: one finding (missing basis).
	flow := fx.integral({"to": "AVIM", "document": "inreisverbod", "purpose": "vreemdelingentoezicht", "legal_basis": ["avg_6_1_c", "vw_107_4"]})
	found := fx.findings("criminal_data", [fx.flow({"document": "inreisverbod", "fields": ["v_nummer", "inreisverbod_grond"], "legal_basis": ["avg_6_1_c"]})])
	count(found) == 1
	[f] := [f | some f in found]
	f.message_id == "criminal_data.not_admitted"
	count(fx.findings("criminal_data", [flow])) == 1
}

# Pack 1.1: the missing national ground (vw_107a) is legal_basis_incomplete's, not reported twice here.
test_a_missing_vw_107a_is_not_this_rule if {
	flows := [fx.integral({
		"to": "DTV",
		"document": "inreisverbod",
		"purpose": "terugkeer",
		"legal_basis": ["avg_6_1_c", "vw_107_4", "avg_10"],
	})]
	fx.findings("criminal_data", flows) == set()
}
