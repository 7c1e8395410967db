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
	result.finding(chain, {"id": "f"}, "m") == {
		"flow": "f",
		"rule": "demo",
		"title": "Demo",
		"severity": "warning",
		"message": "m",
		"legal_refs": ["AVG art. 5(2)"],
	}
}

test_lists if {
	result.list({"b", "a"}) == "a, b"
	result.yaml_list(["b", "a"]) == "[b, a]"
}

test_yaml_list_quotes_what_is_not_a_plain_id if {
	quoted := result.yaml_list(["v_nummer", "x\n```\n# kop", "@org/team", "a b"])
	quoted == "[v_nummer, \"x\\n```\\n# kop\", \"@org/team\", \"a b\"]"
	not contains(quoted, "\n")
}
