package ketencheck.decide.well_formed_test

import data.ketencheck.decide.well_formed

_flow := {
	"id": "exchange", "from": "IND", "to": "COA", "document": "beschikking_afwijzend", "form": "extract",
	"fields": ["v_nummer"], "purpose": "einde_opvang", "legal_basis": ["avg_6_1_c"],
}

_subjects(flow) := {f.subject | some f in well_formed.deny with input as {"flows": [flow], "today": "2026-11-28"}}

test_a_complete_exchange_is_well_formed if {
	_subjects(_flow) == set()
}

test_an_empty_exchange_misses_everything if {
	_subjects({"id": "exchange", "form": "extract"}) == {
		{"missing": ["from", "to", "document", "purpose"]},
		{"missing": ["legal_basis"]},
		{"missing": ["fields"]},
	}
}

test_bad_lists_are_not_well_formed if {
	_subjects(object.union(_flow, {"legal_basis": [], "fields": [1]})) == {{"missing": ["legal_basis"]}, {"missing": ["fields"]}}
	_subjects(object.union(_flow, {"to": ""})) == {{"missing": ["to"]}}
}

test_an_integral_exchange_needs_no_fields if {
	_subjects(object.union(object.remove(_flow, ["fields"]), {"form": "integral"})) == set()
}
