package ketencheck.rules.integral_not_proportional_test

import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.rules.integral_not_proportional as rule

# The seed's case: IND gives COA its whole rejection of an asylum application.
test_seed_integral_rejection_to_coa_is_denied_with_the_lawful_extract if {
	r := rule.deny with input as {"flows": [fx.integral({"id": "seed"})], "today": "2026-11-28"}
	fx.bare(r) == {{
		"flow": "seed",
		"rule": "integral_not_proportional",
		"title": "Integral where an extract suffices",
		"severity": "error",
		"message_id": "integral_not_proportional.special",
		"arguments": {
			"recipient": "COA", "document": "beschikking_afwijzend", "purpose": "einde_opvang", "limit": 10,
			"total": 17, "special": ["asielmotief", "geloofwaardigheidsbeoordeling", "motivering"],
		},
		"legal_refs": ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)", "Vw 2000 art. 107(10)"],
		"fix_id": "extract.upper_bound",
		"fix_arguments": {"fields": [
			"v_nummer", "besluitdatum", "rechtmatig_verblijf", "verblijfsgrond", "vertrektermijn_einddatum",
			"vertrekplicht", "schorsende_werking", "uitstel_vertrek", "inreisverbod_geldt", "dublin_claimant",
		]},
	}}
}

test_seed_integral_voornemen_and_toewijzing_to_coa_are_denied if {
	flows := [
		fx.integral({"id": "voornemen", "document": "voornemen_afwijzing", "purpose": "opvang"}),
		fx.integral({"id": "toewijzing", "document": "beschikking_toewijzend", "purpose": "huisvesting_vergunninghouders"}),
	]
	{f.flow | some f in fx.findings("integral_not_proportional", flows)} == {"voornemen", "toewijzing"}
}

test_integral_without_special_data_says_so_plainly if {
	flows := [fx.integral({"id": "dji", "to": "DJI", "document": "vertrekbesluit", "purpose": "bewaring"})]
	some f in fx.findings("integral_not_proportional", flows)
	f.message_id == "integral_not_proportional"
	[f.arguments.total, object.get(f.arguments, "special", null)] == [6, null]
}

test_extract_is_allowed if {
	fx.findings("integral_not_proportional", [fx.flow({})]) == set()
}

test_integral_where_the_row_is_integral_is_allowed if {
	flows := [fx.integral({"to": "DTV", "purpose": "terugkeer"})]
	fx.findings("integral_not_proportional", flows) == set()
}

# Vw 2000 art. 107 gained two leden on 1 Sept 2026: the proportionality clause is lid 8 before, lid 10 from then.
test_the_proportionality_clause_is_cited_as_in_force_on_the_evaluation_date if {
	flows := [fx.integral({"id": "seed"})]
	[before] := [f | some f in rule.deny] with input as {"flows": flows, "today": "2026-08-31"}
	before.legal_refs == ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)", "Vw 2000 art. 107(8)"]
	endswith(before.legal_sources[2].url, "&artikel=107&lid=8&z=2026-08-31&g=2026-08-31")
	[after] := [f | some f in rule.deny] with input as {"flows": flows, "today": "2026-11-28"}
	after.legal_refs == ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)", "Vw 2000 art. 107(10)"]
	endswith(after.legal_sources[2].url, "&artikel=107&lid=10&z=2026-11-28&g=2026-11-28")
}
