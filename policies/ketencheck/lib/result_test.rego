package ketencheck.lib.result_test

import data.ketencheck.lib.result

test_finding_reads_the_first_annotated_entry_of_the_chain if {
	chain := [
		{"path": ["ketencheck", "rules", "demo", "deny"]},
		{
			"path": ["ketencheck", "rules", "demo", "deny"],
			"annotations": {"title": "Demo", "custom": {"severity": "warning", "legal_refs": ["AVG art. 5(2)"]}},
		},
	]
	flow := {"id": "f", "from": "IND", "to": "COA", "document": "d", "form": "integral", "legal_basis": ["b"]}
	result.finding(chain, flow, {"fields": ["x"]}, "m") == {
		"flow": "f",
		"rule": "demo",
		"title": "Demo",
		"severity": "warning",
		"message": "m",
		"legal_refs": ["AVG art. 5(2)"],
		"subject": {"fields": ["x"]},
		"digest": result.digest(flow),
		"waivable": true,
		"scope": "flow",
	}
}

test_a_rule_can_refuse_waivers_and_chain_rules_say_so if {
	chain := [{
		"path": ["ketencheck", "chain", "demo", "deny"],
		"annotations": {"title": "D", "custom": {"severity": "error", "legal_refs": [], "waivable": false}},
	}]
	f := result.finding(chain, {"id": "f"}, {}, "m")
	f.waivable == false
	f.scope == "chain"
}

# The digest binds what the rules judge, in canonical form: order of sets and keys does not matter, the rest does.
_flow := {
	"id": "a", "description": "x", "from": "IND", "to": "COA", "document": "beschikking_afwijzend",
	"form": "extract", "fields": ["v_nummer", "naam"], "purpose": "einde_opvang",
	"legal_basis": ["avg_6_1_c", "vw_107_4"], "retention": "P4W",
}

test_the_digest_is_the_sha256_of_the_canonical_judged_content if {
	result.judged(_flow) == {
		"from": "IND", "to": "COA", "document": "beschikking_afwijzend", "form": "extract",
		"fields": ["naam", "v_nummer"], "purpose": "einde_opvang", "legal_basis": ["avg_6_1_c", "vw_107_4"],
	}
	result.digest(_flow) == concat("", ["sha256:", crypto.sha256(json.marshal(result.judged(_flow)))])
}

test_the_digest_ignores_order_id_and_description if {
	reordered := object.union(_flow, {
		"id": "b", "description": "y", "fields": ["naam", "v_nummer"],
		"legal_basis": ["vw_107_4", "avg_6_1_c"], "retention": "P1Y",
	})
	result.digest(reordered) == result.digest(_flow)
}

test_the_digest_changes_with_every_judged_key[key] if {
	some key, value in {
		"from": "COA", "to": "GEMEENTE", "document": "vertrekbesluit", "form": "integral",
		"fields": ["v_nummer"], "purpose": "opvang", "legal_basis": ["avg_6_1_c"], "channel": "bvv",
	}
	result.digest(object.union(_flow, {key: value})) != result.digest(_flow)
}

test_lists if {
	result.list({"b", "a"}) == "a, b"
	result.yaml_list(["b", "a"]) == "[b, a]"
}
