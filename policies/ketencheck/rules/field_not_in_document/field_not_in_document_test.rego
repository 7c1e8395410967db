package ketencheck.rules.field_not_in_document_test

import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.rules.field_not_in_document as rule

test_a_field_the_document_lacks_is_denied if {
	flows := [fx.flow({"id": "f", "document": "vertrekbesluit", "fields": ["v_nummer", "bsn"]})]
	r := rule.deny with input as {"flows": flows}

	# The digest is lib/result.rego's business (tested there).
	{object.remove(f, ["digest", "legal_sources", "title_nl"]) | some f in r} == {{
		"flow": "f",
		"rule": "field_not_in_document",
		"title": "Field not in the document",
		"severity": "error",
		"message_id": "field_not_in_document",
		"arguments": {
			"document": "vertrekbesluit", "fields": ["bsn"],
			"holds": [
				"besluitdatum", "inreisverbod_geldt", "naam", "v_nummer", "vertrekplicht",
				"vertrektermijn_einddatum",
			],
		},
		"legal_refs": ["AVG art. 5(1)(d)", "AVG art. 5(2)"],
		"subject": {"fields": ["bsn"]},
		"waivable": true,
		"scope": "flow",
	}}
}

test_fields_of_the_document_are_allowed if {
	fx.findings("field_not_in_document", [fx.flow({})]) == set()
}

test_unknown_fields_are_left_to_unknown_reference if {
	fx.findings("field_not_in_document", [fx.flow({"fields": ["v_nummer", "v_numer"]})]) == set()
}

test_integral_flows_carry_only_document_fields if {
	fx.findings("field_not_in_document", [fx.integral({})]) == set()
}
