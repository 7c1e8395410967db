package ketencheck.rules.wrong_purpose_test

import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.rules.wrong_purpose as rule

test_a_purpose_of_another_partner_is_denied if {
	r := rule.deny with input as {"flows": [fx.flow({"id": "wp", "purpose": "terugkeer"})]}
	fx.bare(r) == {{
		"flow": "wp",
		"rule": "wrong_purpose",
		"title": "Wrong purpose",
		"severity": "error",
		"message_id": "wrong_purpose.task_of_others",
		"arguments": {
			"recipient": "COA", "document": "beschikking_afwijzend", "purposes": ["einde_opvang"],
			"purpose": "terugkeer", "partners": ["DTV"],
		},
		"legal_refs": ["AVG art. 5(1)(b)", "Vw 2000 art. 107(4)"],
		"fix_id": "purpose",
		"fix_arguments": {"purpose": "einde_opvang"},
	}}
}

test_a_purpose_of_the_recipient_without_a_row_is_denied if {
	some f in fx.findings("wrong_purpose", [fx.flow({"purpose": "opvang"})])
	f.message_id == "wrong_purpose.task_of_recipient"
	[f.arguments.purpose, f.arguments.recipient] == ["opvang", "COA"]
}

test_several_lawful_purposes_are_all_named if {
	flows := [fx.flow({"to": "GEMEENTE", "document": "beschikking_toewijzend", "purpose": "opvang"})]
	some f in fx.findings("wrong_purpose", flows)
	f.fix_id == "purpose.one_of"
	f.fix_arguments == {"purposes": ["brp_inschrijving", "huisvesting_vergunninghouders"]}
}

test_the_lawful_purpose_is_allowed if {
	fx.findings("wrong_purpose", [fx.flow({})]) == set()
}

test_an_unknown_purpose_is_left_to_unknown_reference if {
	fx.findings("wrong_purpose", [fx.flow({"purpose": "einde_opvangen"})]) == set()
}
