package ketencheck.lib.result_test

import data.ketencheck.lib.result

test_finding_reads_the_first_annotated_entry_of_the_chain if {
	chain := [
		{"path": ["ketencheck", "rules", "demo", "deny"]},
		{
			"path": ["ketencheck", "rules", "demo", "deny"],
			"annotations": {"title": "Demo", "custom": {"severity": "warning", "legal_refs": ["avg_5_2"]}},
		},
	]
	f := result.finding(chain, {"id": "f"}, "m") with input.today as "2026-11-28"
	f == {
		"flow": "f",
		"rule": "demo",
		"title": "Demo",
		"severity": "warning",
		"message": "m",
		"legal_refs": ["AVG art. 5(2)"],
		"legal_sources": [{
			"label": "AVG art. 5(2)",
			"url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
			"valid_from": "2018-05-25",
			"verified": false,
		}],
	}
}

_chain(refs) := [{
	"path": ["ketencheck", "rules", "demo", "deny"],
	"annotations": {"title": "Demo", "custom": {"severity": "error", "legal_refs": refs}},
}]

test_a_finding_cites_the_proportionality_clause_in_force_on_the_evaluation_date if {
	chain := _chain(["avg_5_1_c", "vw_107_4", "vw_107_proportionality"])
	before := result.finding(chain, {"id": "f"}, "m") with input.today as "2026-08-31"
	before.legal_refs == ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)", "Vw 2000 art. 107(8)"]
	before.legal_sources[2].url == concat("", [
		"https://wetten.overheid.nl/jci1.3:c:BWBR0011823&hoofdstuk=8&paragraaf=1&artikel=107&lid=8",
		"&z=2026-08-31&g=2026-08-31",
	])
	after := result.finding(chain, {"id": "f"}, "m") with input.today as "2026-09-01"
	after.legal_refs == ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)", "Vw 2000 art. 107(10)"]
	after.legal_sources[2] == {
		"label": "Vw 2000 art. 107(10)",
		"url": concat("", [
			"https://wetten.overheid.nl/jci1.3:c:BWBR0011823&hoofdstuk=8&paragraaf=1&artikel=107&lid=10",
			"&z=2026-09-01&g=2026-09-01",
		]),
		"valid_from": "2026-09-01",
		"verified": true,
	}
}

test_an_old_style_label_still_resolves_and_an_unknown_one_is_shown_unverified if {
	chain := _chain(["Vw 2000 art. 107(10) (lid 8 in the text valid until 31 Aug 2026)", "Wet X art. 1"])
	f := result.finding(chain, {"id": "f"}, "m") with input.today as "2026-11-28"
	f.legal_refs == ["Vw 2000 art. 107(10)", "Wet X art. 1"]
	f.legal_sources[1] == {"label": "Wet X art. 1", "url": "", "valid_from": "", "verified": false}
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
