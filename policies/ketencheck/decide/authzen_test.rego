package ketencheck.decide.authzen_test

import data.ketencheck.decide.authzen

_request(form, extra) := object.union(
	{
		"subject": {"type": "organisation", "id": "COA"},
		"resource": {"type": "beschikking_afwijzend", "properties": object.union({"from": "IND"}, form)},
		"action": {"name": "disclose", "properties": object.union(
			{"purpose": "einde_opvang", "legal_basis": ["avg_6_1_c", "vw_107_4", "vv_7_1e"], "channel": "bvv"},
			extra,
		)},
		"context": {"request_id": "r-1", "trace_id": "t-1", "today": "2026-11-28"},
	},
	{},
)

test_the_seed_integral_is_false_with_what_to_strip if {
	response := authzen.response with input as _request({"form": "integral"}, {"processing_activity_id": "pa:x"})
	response.decision == false
	"asielmotief" in response.context.strip
	response.context.request_id == "r-1"
	response.context.trace_id == "t-1"
	response.context.processing_activity_id == "pa:x"
	startswith(response.context.reason_admin.en, "denied by integral_not_proportional, special_category_data; strip ")
}

test_a_lawful_extract_is_true if {
	response := authzen.response with input as _request({"form": "extract", "fields": ["v_nummer"]}, {})
	response.decision == true
	response.context.reason_admin.en == "allowed"
}

test_an_uncurable_deny_says_so if {
	response := authzen.response with input as _request({"form": "extract", "fields": ["v_nummer"]}, {"legal_basis": ["avg_6_1_c"]})
	response.decision == false
	response.context.reason_admin.en == "denied by legal_basis_incomplete; not curable by stripping fields"
}

test_an_empty_request_is_false if {
	response := authzen.response with input as {}
	response.decision == false
}

test_the_flow_id_maps_from_the_action if {
	response := authzen.response with input as _request({"form": "extract", "fields": ["v_nummer"]}, {"flow_id": "x"})
	response.context.flow_id == "x"
	response.decision == false
}
