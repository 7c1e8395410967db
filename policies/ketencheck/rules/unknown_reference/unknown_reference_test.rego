package ketencheck.rules.unknown_reference_test

import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.rules.unknown_reference as rule

test_a_misspelt_recipient_is_denied_with_a_suggestion if {
	r := rule.deny with input as {"flows": [fx.flow({"id": "u", "to": "CAO"})]}
	fx.bare(r) == {{
		"flow": "u",
		"rule": "unknown_reference",
		"title": "Unknown reference",
		"severity": "error",
		"message_id": "unknown_reference.guess",
		"arguments": {"what": "recipient", "id": "CAO", "guess": "COA"},
		"legal_refs": ["AVG art. 5(2)"],
		"fix_id": "replace",
		"fix_arguments": {"key": "to", "value": "COA"},
	}}
}

test_every_kind_of_reference_is_checked if {
	flow := fx.flow({
		"from": "INDD",
		"document": "beschikking_afwijzing",
		"purpose": "einde_opvangen",
		"fields": ["v_nummer", "rechtmatig_verblijff"],
		"legal_basis": ["avg_6_1_c", "vw_107_44", "vv_7_1e"],
	})
	fixes := {[f.fix_id, f.fix_arguments] | some f in fx.findings("unknown_reference", [flow])}
	fixes == {
		["replace", {"key": "from", "value": "IND"}],
		["replace", {"key": "document", "value": "beschikking_afwijzend"}],
		["replace", {"key": "purpose", "value": "einde_opvang"}],
		["replace.list", {"key": "fields", "values": ["v_nummer", "rechtmatig_verblijf"]}],
	}
}

test_a_legal_basis_is_never_guessed_from_its_spelling if {
	# Issue 16, item 8: avg_9_2_i (public health) got the fix avg_9_2_g (substantial public interest).
	flow := fx.flow({"legal_basis": ["avg_6_1_e", "avg_9_2_i"]})
	[f] := [f | some f in fx.findings("unknown_reference", [flow])]
	f.message_id == "unknown_reference.legal_basis"
	not f.arguments.guess
	[f.fix_id, f.fix_arguments] == ["legal_basis", {"bases": ["avg_6_1_c", "vw_107_4", "vv_7_1e"]}]
	f.arguments.required == ["avg_6_1_c", "vv_7_1e", "vw_107_4"]
}

test_an_unknown_basis_without_a_row_gets_no_fix if {
	flow := fx.flow({"purpose": "xyz", "legal_basis": ["avg_9_2_i"]})
	fs := fx.findings("unknown_reference", [flow])
	[f] := [f | some f in fs; f.subject.key == "legal_basis"]
	not f.fix_id
	f.message_id == "unknown_reference.legal_basis.no_row"
}

test_an_id_like_nothing_points_to_the_catalogue if {
	r := fx.findings("unknown_reference", [fx.flow({"purpose": "xyz"})])
	fx.bare(r) == {{
		"flow": "ind-coa-einde-opvang",
		"rule": "unknown_reference",
		"title": "Unknown reference",
		"severity": "error",
		"message_id": "unknown_reference.no_guess",
		"arguments": {"what": "purpose", "id": "xyz", "topic": "purposes"},
		"legal_refs": ["AVG art. 5(2)"],
	}}
}

test_known_references_are_allowed if {
	fx.findings("unknown_reference", [fx.flow({})]) == set()
}

test_an_unknown_sender_alone_is_reported if {
	[f] := [f | some f in fx.findings("unknown_reference", [fx.flow({"from": "INDD"})])]
	[f.fix_id, f.fix_arguments] == ["replace", {"key": "from", "value": "IND"}]
}
