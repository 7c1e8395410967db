package ketencheck.rules.special_category_data_test

import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.rules.special_category_data as rule

test_special_data_no_row_admits_is_denied if {
	r := rule.deny with input as {"flows": [fx.flow({"id": "m", "fields": ["v_nummer", "asielmotief"]})]}
	fx.bare(r) == {{
		"flow": "m",
		"rule": "special_category_data",
		"title": "Special-category data without an exception",
		"severity": "error",
		"message_id": "special_category_data.not_admitted",
		"arguments": {
			"recipient": "COA", "fields": ["asielmotief"], "document": "beschikking_afwijzend",
			"purpose": "einde_opvang",
		},
		"legal_refs": ["AVG art. 9(1)", "Vw 2000 art. 107a"],
	}}
}

test_the_seed_integral_flow_carries_unadmitted_special_data if {
	some f in fx.findings("special_category_data", [fx.integral({})])
	f.arguments.fields == ["asielmotief", "geloofwaardigheidsbeoordeling", "motivering"]
}

test_special_data_without_a_row_at_all_is_denied if {
	flows := [fx.integral({"to": "GGD", "document": "nader_gehoor", "purpose": "opvang"})]
	count(fx.findings("special_category_data", flows)) == 1
}

test_admitted_special_data_without_the_exception_is_denied if {
	flow := fx.flow({
		"id": "bz",
		"to": "BZ",
		"document": "nader_gehoor",
		"fields": ["v_nummer", "asielmotief"],
		"purpose": "ambtsbericht_onderzoek",
		"legal_basis": ["avg_6_1_e", "vw_107a"],
		"channel": "schriftelijk",
	})
	r := rule.deny with input as {"flows": [flow]}
	fx.bare(r) == {{
		"flow": "bz",
		"rule": "special_category_data",
		"title": "Special-category data without an exception",
		"severity": "error",
		"message_id": "special_category_data.exception_missing",
		"arguments": {"flow": "bz", "fields": ["asielmotief"], "missing": ["vv_7_1c"]},
		"legal_refs": ["AVG art. 9(1)", "Vw 2000 art. 107a"],
		"fix_id": "legal_basis",
		"fix_arguments": {"bases": ["avg_6_1_e", "vw_107a", "vv_7_1c"]},
	}}
}

test_admitted_special_data_with_the_exception_is_allowed if {
	flow := fx.flow({
		"to": "BZ",
		"document": "nader_gehoor",
		"fields": ["v_nummer", "asielmotief"],
		"purpose": "ambtsbericht_onderzoek",
		"legal_basis": ["avg_6_1_e", "vw_107a", "vv_7_1c"],
		"channel": "schriftelijk",
	})
	fx.findings("special_category_data", [flow]) == set()
}

test_the_lawyer_needs_no_special_exception if {
	flows := [fx.integral({"to": "ADVOCAAT", "document": "nader_gehoor", "purpose": "rechtsbijstand", "legal_basis": ["avg_6_1_c", "vb_3_109a"]})]
	fx.findings("special_category_data", flows) == set()
}

test_no_special_data_is_allowed if {
	fx.findings("special_category_data", [fx.flow({})]) == set()
}

test_a_row_with_special_bases_needs_them_only_for_special_data if {
	# BZ's row lists vw_107a and vv_7_1c; an extract without asielmotief carries nothing special and needs neither.
	flow := fx.flow({
		"to": "BZ", "document": "nader_gehoor", "purpose": "ambtsbericht_onderzoek",
		"fields": ["v_nummer", "naam"], "legal_basis": ["avg_6_1_e"], "channel": "schriftelijk",
	})
	fx.findings("special_category_data", [flow]) == set()
}

# Pack 1.1, change 2: vw_107_4 excludes facial images and fingerprints; biometrie needs vw_107_2_a.
test_biometrics_without_vw_107_2_a_are_denied if {
	every key in ["DTV|identiteitsdocumenten|terugkeer", "DTV|dublin_claim|terugkeer", "AVIM|identiteitsdocumenten|vreemdelingentoezicht", "KMAR|identiteitsdocumenten|vreemdelingentoezicht"] {
		row := data.ketencheck.lib.catalogue.row_index[key]
		[recipient, document, _] := split(key, "|")
		flow := object.union(fx.lawful(row, recipient, document), {"legal_basis": [b | some b in row.bases; b != "vw_107_2_a"]})
		[f] := [f | some f in data.ketencheck.main.findings with input as {"flows": [flow]}]
		f.rule == "special_category_data"
		f.message_id == "special_category_data.exception_missing"
		f.arguments.missing == ["vw_107_2_a"]
	}
}

# vw_107a is the national ground for special and criminal data alike: with special data its absence is this
# rule's (as in pack 1.0); where only criminal data make it required, legal_basis_incomplete reports it.
test_a_missing_vw_107a_is_reported_once_by_what_the_flow_carries if {
	to_ind := {
		"id": "bz-ind", "from": "BZ", "to": "IND", "document": "ambtsbericht_individueel", "form": "extract",
		"purpose": "asielbeoordeling", "legal_basis": ["avg_6_1_e", "vw_107_7", "avg_9_2_g", "avg_10"], "retention": "P1Y",
	}
	special := object.union(to_ind, {"fields": ["v_nummer", "asielmotief", "strafrechtelijke_gegevens"]})
	criminal := object.union(to_ind, {"fields": ["v_nummer", "strafrechtelijke_gegevens"]})
	{f.rule | some f in data.ketencheck.main.findings with input as {"flows": [special]}} == {"special_category_data"}
	{f.rule | some f in data.ketencheck.main.findings with input as {"flows": [criminal]}} == {"legal_basis_incomplete"}
}

# A row's biometric ground is required only with biometrie: other special-category data do not need it.
test_other_special_data_need_no_biometric_ground if {
	row := {
		"id": "bz", "recipients": ["BZ"], "documents": ["nader_gehoor"], "purpose": "ambtsbericht_onderzoek",
		"form": "extract", "fields": ["v_nummer", "asielmotief"], "bases": ["avg_6_1_e", "vw_107_2_a", "vw_107a", "vv_7_1c"],
	}
	flow := fx.flow({
		"to": "BZ", "document": "nader_gehoor", "fields": ["v_nummer", "asielmotief"], "purpose": "ambtsbericht_onderzoek",
		"legal_basis": ["avg_6_1_e", "vw_107a", "vv_7_1c"],
	})
	found := fx.findings("special_category_data", [flow]) with data.ketencheck.catalogue.matrix.rows as [row]
		with data.ketencheck.catalogue.index as fx.index_with([row])
	found == set()
}
