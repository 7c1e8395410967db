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
	flow := {"id": "f", "from": "IND", "to": "COA", "document": "d", "form": "integral", "legal_basis": ["b"]}
	f := result.finding(chain, flow, {"fields": ["x"]}, "demo.m", {"fields": ["x"]})
		with input as {"today": "2026-11-28", "names": true}
	f == {
		"flow": "f",
		"rule": "demo",
		"title": "Demo",
		"title_nl": "Demo",
		"severity": "warning",
		"message_id": "demo.m",
		"arguments": {"fields": ["x"]},
		"legal_refs": ["AVG art. 5(2)"],
		"legal_sources": [{
			"label": "AVG art. 5(2)",
			"label_nl": "AVG art. 5 lid 2",
			"url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
			"valid_from": "2018-05-25",
			"verified": false,
		}],
		"subject": {"fields": ["x"]},
		"digest": result.digest(flow),
		"waivable": true,
		"scope": "flow",
	}
}

_chain(refs) := [{
	"path": ["ketencheck", "rules", "demo", "deny"],
	"annotations": {"title": "Demo", "custom": {"severity": "error", "legal_refs": refs}},
}]

test_a_finding_cites_the_proportionality_clause_in_force_on_the_evaluation_date if {
	chain := _chain(["avg_5_1_c", "vw_107_4", "vw_107_proportionality"])
	before := result.finding(chain, {"id": "f"}, {}, "m", {}) with input.today as "2026-08-31"
	before.legal_refs == ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)", "Vw 2000 art. 107(8)"]
	before.legal_sources[2].url == concat("", [
		"https://wetten.overheid.nl/jci1.3:c:BWBR0011823&hoofdstuk=8&paragraaf=1&artikel=107&lid=8",
		"&z=2026-08-31&g=2026-08-31",
	])
	after := result.finding(chain, {"id": "f"}, {}, "m", {}) with input.today as "2026-09-01"
	after.legal_refs == ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)", "Vw 2000 art. 107(10)"]
	after.legal_sources[2] == {
		"label": "Vw 2000 art. 107(10)",
		"label_nl": "artikel 107 lid 10 Vreemdelingenwet 2000",
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
	f := result.finding(chain, {"id": "f"}, {}, "m", {}) with input.today as "2026-11-28"
	f.legal_refs == ["Vw 2000 art. 107(10)", "Wet X art. 1"]
	f.legal_sources[1] == {"label": "Wet X art. 1", "label_nl": "Wet X art. 1", "url": "", "valid_from": "", "verified": false}
}

test_a_rule_can_refuse_waivers_and_chain_rules_say_so if {
	chain := [{
		"path": ["ketencheck", "chain", "demo", "deny"],
		"annotations": {"title": "D", "custom": {"severity": "error", "legal_refs": [], "waivable": false}},
	}]
	f := result.finding(chain, {"id": "f"}, {}, "m", {})
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

test_a_finding_carries_the_dutch_title_of_its_metadata if {
	chain := [{
		"path": ["ketencheck", "rules", "demo", "deny"],
		"annotations": {"title": "Demo", "custom": {
			"severity": "error", "legal_refs": [],
			"nl": {"title": "Voorbeeld", "description": "Een voorbeeld."},
		}},
	}]
	f := result.finding(chain, {"id": "f"}, {}, "m", {}) with input.names as true
	f.title == "Demo"
	f.title_nl == "Voorbeeld"

	# An English report does without it.
	english := result.finding(chain, {"id": "f"}, {}, "m", {})
	not "title_nl" in object.keys(english)
}

test_a_finding_with_a_fix_carries_it_as_data if {
	f := result.finding_with_fix(_chain([]), {"id": "f"}, {}, "m", {"a": 1}, "fields", {"fields": ["b", "a"]})
	[f.message_id, f.arguments, f.fix_id, f.fix_arguments] == ["m", {"a": 1}, "fields", {"fields": ["b", "a"]}]
	count({"message", "fix"} & object.keys(f)) == 0
}
