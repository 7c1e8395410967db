package ketencheck.rules.no_need_to_know_test

import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.rules.no_need_to_know as rule

test_coa_may_not_receive_the_medical_advice if {
	flows := [fx.integral({"id": "bma-coa", "from": "BMA", "document": "medisch_advies", "purpose": "opvang"})]
	r := rule.deny with input as {"flows": flows}

	# The digest is lib/result.rego's business (tested there).
	{object.remove(f, ["digest", "legal_sources"]) | some f in r} == {{
		"flow": "bma-coa",
		"rule": "no_need_to_know",
		"title": "No need to know",
		"severity": "error",
		"message": concat("", [
			"COA may not receive medisch_advies in any form: no need-to-know row exists for this recipient and ",
			"document (COA may receive: beschikking_afwijzend, beschikking_toewijzend, dwangsom_betaling, ",
			"leeftijdsonderzoek, signaal_opvangbehoefte, vertrekbesluit, voornemen_afwijzing)",
		]),
		"legal_refs": ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)"],
		"subject": {},
		"waivable": true,
		"scope": "flow",
	}}
}

test_vwn_receives_nothing if {
	some f in fx.findings("no_need_to_know", [fx.flow({"to": "VWN"})])
	endswith(f.message, "(VWN has no need-to-know row at all)")
}

test_a_row_for_another_purpose_is_not_this_rule if {
	fx.findings("no_need_to_know", [fx.flow({"purpose": "opvang"})]) == set()
}

test_unknown_recipient_is_left_to_unknown_reference if {
	fx.findings("no_need_to_know", [fx.flow({"to": "CAO"})]) == set()
}
