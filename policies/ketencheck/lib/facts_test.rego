package ketencheck.lib.facts_test

import data.ketencheck.lib.facts

_extract := {
	"id": "ind-coa",
	"from": "IND",
	"to": "COA",
	"document": "beschikking_afwijzend",
	"form": "extract",
	"fields": ["rechtmatig_verblijf", "v_nummer", "not_in_document"],
	"purpose": "einde_opvang",
}

test_facts_are_absent_unless_asked_for if {
	not facts.facts with input as {"flows": [_extract]}
	not facts.facts with input as {"flows": [_extract], "facts": false}
}

test_an_extract_carries_the_named_fields_its_document_holds if {
	f := facts.facts with input as {"flows": [_extract], "facts": true}
	f == {"ind-coa": {
		"carried": ["rechtmatig_verblijf", "v_nummer"],
		"categories": ["national_id", "ordinary"],
		"allowed_form": "extract",
		"row": "coa-afwijzing-einde-opvang",
	}}
}

test_an_integral_flow_carries_every_field_of_its_document if {
	flow := object.union(_extract, {"form": "integral", "fields": null})
	f := facts.facts with input as {"flows": [flow], "facts": true}
	count(f["ind-coa"].carried) == 17
	"asielmotief" in f["ind-coa"].carried
	f["ind-coa"].carried == sort(f["ind-coa"].carried)
}

test_the_allowed_form_ignores_the_purpose_but_the_row_does_not if {
	flow := object.union(_extract, {"purpose": "no_such_purpose"})
	f := facts.facts with input as {"flows": [flow], "facts": true}
	f["ind-coa"].allowed_form == "extract"
	f["ind-coa"].row == null
}

test_no_row_for_the_recipient_allows_nothing_and_unknown_documents_carry_nothing if {
	flow := object.union(_extract, {"to": "NO_SUCH_PARTNER", "document": "no_such_document"})
	f := facts.facts with input as {"flows": [flow], "facts": true}
	f["ind-coa"] == {"carried": [], "categories": [], "allowed_form": "none", "row": null}
}

test_an_integral_row_is_the_widest_form if {
	rows := [
		{"id": "a", "recipients": ["X"], "documents": ["d"], "purpose": "p", "form": "extract", "fields": []},
		{"id": "b", "recipients": ["X"], "documents": ["*"], "purpose": "q", "form": "integral"},
	]
	flow := {"id": "f", "to": "X", "document": "d", "form": "extract", "fields": [], "purpose": "p"}
	f := facts.facts with input as {"flows": [flow], "facts": true} with data.ketencheck.catalogue.matrix.rows as rows
	f.f.allowed_form == "integral"
}

test_a_field_the_catalogue_does_not_describe_has_the_unknown_category if {
	fields := {"v_nummer": {"category": "national_id"}}
	f := facts.facts with input as {"flows": [_extract], "facts": true} with data.ketencheck.catalogue.fields as fields
	f["ind-coa"].categories == ["national_id", "unknown"]
}
