package ketencheck.rules.field_not_needed_test

import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.rules.field_not_needed as rule

test_asielmotief_to_coa_is_not_needed if {
	flows := [fx.flow({"id": "motief", "fields": ["v_nummer", "asielmotief", "naam"]})]
	r := rule.deny with input as {"flows": flows}
	fx.bare(r) == {{
		"flow": "motief",
		"rule": "field_not_needed",
		"title": "Field not needed",
		"severity": "error",
		"message_id": "field_not_needed",
		"arguments": {
			"recipient": "COA", "fields": ["asielmotief", "naam"], "document": "beschikking_afwijzend",
			"purpose": "einde_opvang",
			"admitted": [
				"besluitdatum", "dublin_claimant", "inreisverbod_geldt", "rechtmatig_verblijf", "schorsende_werking",
				"uitstel_vertrek", "v_nummer", "verblijfsgrond", "vertrekplicht", "vertrektermijn_einddatum",
			],
		},
		"legal_refs": ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)"],
		"fix_id": "fields",
		"fix_arguments": {"fields": ["v_nummer"]},
	}}
}

test_only_surplus_fields_get_the_lawful_extract_as_fix if {
	some f in fx.findings("field_not_needed", [fx.flow({"fields": ["motivering"]})])
	array.slice(f.fix_arguments.fields, 0, 3) == ["v_nummer", "besluitdatum", "rechtmatig_verblijf"]

	# Issue 16, item 9: every field the row admits is the most it allows, not the recommended extract: the fix
	# template says so ("# at most these fields; keep only what the task needs").
	f.fix_id == "fields.upper_bound"
}

test_a_subset_of_the_row_is_allowed if {
	fx.findings("field_not_needed", [fx.flow({"fields": ["v_nummer"]})]) == set()
}

test_an_extract_under_an_integral_row_is_allowed if {
	flows := [fx.flow({"to": "DTV", "purpose": "terugkeer", "fields": ["asielmotief"]})]
	fx.findings("field_not_needed", flows) == set()
}
