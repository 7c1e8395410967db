package ketencheck.rules.legal_basis_incomplete_test

import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.rules.legal_basis_incomplete as rule

test_a_missing_general_basis_is_denied if {
	r := rule.deny with input as {"flows": [fx.flow({"id": "lb", "legal_basis": ["avg_6_1_c"]})]}
	_without_label_nl(r) == {{
		"flow": "lb",
		"rule": "legal_basis_incomplete",
		"title": "Legal basis incomplete",
		"severity": "error",
		"message_id": "legal_basis_incomplete",
		"arguments": {
			"document": "beschikking_afwijzend", "recipient": "COA", "purpose": "einde_opvang",
			"required": ["avg_6_1_c", "vv_7_1e", "vw_107_4"],
			"missing_law": [
				{"id": "vv_7_1e", "sources": [{"label": "VV 2000 art. 7.1e", "verified": false}]},
				{"id": "vw_107_4", "sources": [{"label": "Vw 2000 art. 107(4)", "verified": true}]},
			],
		},
		"legal_refs": ["AVG art. 6(1)", "AVG art. 5(1)(a)"],
		"fix_id": "legal_basis",
		"fix_arguments": {"bases": ["avg_6_1_c", "vw_107_4", "vv_7_1e"]},
	}} with input.today as "2026-11-28"
}

# The Dutch label of a provision (lib/law.rego, where the law catalogue has one) is not this test's business.
_without_label_nl(found) := {object.union(f, {"arguments": object.union(f.arguments, {"missing_law": [
{"id": m.id, "sources": [object.remove(s, ["label_nl"]) | some s in m.sources]} |
	some m in f.arguments.missing_law
]})}) |
	some f in fx.bare(found)
}

test_special_bases_are_not_this_rule if {
	flow := fx.flow({
		"to": "BZ", "document": "nader_gehoor", "fields": ["asielmotief"], "purpose": "ambtsbericht_onderzoek",
		"legal_basis": ["avg_6_1_e"], "channel": "schriftelijk",
	})
	fx.findings("legal_basis_incomplete", [flow]) == set()
}

# Pack 1.1, change 1: an integral entry ban citing avg_10 without vw_107a was allowed in v1 and is denied here.
test_an_entry_ban_without_vw_107a_is_incomplete if {
	flow := fx.integral({
		"id": "ib", "to": "DTV", "document": "inreisverbod", "purpose": "terugkeer",
		"legal_basis": ["avg_6_1_c", "vw_107_4", "avg_10"],
	})
	_without_label_nl(fx.findings("legal_basis_incomplete", [flow])) == {{
		"flow": "ib",
		"rule": "legal_basis_incomplete",
		"title": "Legal basis incomplete",
		"severity": "error",
		"message_id": "legal_basis_incomplete",
		"arguments": {
			"document": "inreisverbod", "recipient": "DTV", "purpose": "terugkeer",
			"required": ["avg_10", "avg_6_1_c", "vw_107_4", "vw_107a"],
			"missing_law": [{"id": "vw_107a", "sources": [{"label": "Vw 2000 art. 107a", "verified": true}]}],
		},
		"legal_refs": ["AVG art. 6(1)", "AVG art. 5(1)(a)"],
		"fix_id": "legal_basis",
		"fix_arguments": {"bases": ["avg_6_1_c", "vw_107_4", "vw_107a", "avg_10"]},
	}}
	{"legal_basis_incomplete"} == {f.rule | some f in data.ketencheck.main.findings with input as {"flows": [flow]}}
}

test_every_criminal_row_requires_vw_107a if {
	every key in ["DTV|inreisverbod|terugkeer", "AVIM|inreisverbod|vreemdelingentoezicht", "KMAR|inreisverbod|vreemdelingentoezicht", "DJI|maatregel_bewaring|bewaring"] {
		row := data.ketencheck.lib.catalogue.row_index[key]
		[recipient, document, _] := split(key, "|")
		flow := object.union(fx.lawful(row, recipient, document), {"legal_basis": [b | some b in row.bases; b != "vw_107a"]})
		{f.rule | some f in data.ketencheck.main.findings with input as {"flows": [flow]}} == {"legal_basis_incomplete"}
	}
}

# The row's biometric ground is not required for an extract without biometrie (and may still be cited).
test_an_identity_extract_without_biometrie_needs_no_vw_107_2_a if {
	flow := fx.flow({
		"to": "DTV", "document": "identiteitsdocumenten", "purpose": "terugkeer", "fields": ["v_nummer", "naam"],
		"legal_basis": ["avg_6_1_c", "vw_107_4"],
	})
	fx.findings("legal_basis_incomplete", [flow]) == set()
	fx.findings("legal_basis_not_applicable", [object.union(flow, {"legal_basis": ["avg_6_1_c", "vw_107_4", "vw_107_2_a"]})]) == set()
}

test_all_bases_cited_is_allowed if {
	fx.findings("legal_basis_incomplete", [fx.flow({})]) == set()
}
