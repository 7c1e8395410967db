package ketencheck.rules.self_flow_test

import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.rules.self_flow as rule

test_a_flow_to_oneself_is_denied if {
	r := rule.deny with input as {"flows": [fx.flow({"id": "s", "from": "COA"})]}

	# The digest is lib/result.rego's business (tested there).
	{object.remove(f, ["digest", "legal_sources", "title_nl"]) | some f in r} == {{
		"flow": "s",
		"rule": "self_flow",
		"title": "Self-flow",
		"severity": "error",
		"message_id": "self_flow",
		"arguments": {"sender": "COA", "document": "beschikking_afwijzend"},
		"legal_refs": ["Vw 2000 art. 107(4)", "AVG art. 5(2)"],
		"subject": {},
		"waivable": true,
		"scope": "flow",
	}}
}

test_a_flow_to_another_partner_is_allowed if {
	fx.findings("self_flow", [fx.flow({})]) == set()
}
