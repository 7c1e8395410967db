package ketencheck.decide_test

import data.ketencheck.decide

_bases := ["avg_6_1_c", "vw_107_4", "vv_7_1e"]

_extract := {
	"from": "IND", "to": "COA", "document": "beschikking_afwijzend", "form": "extract",
	"fields": ["v_nummer", "rechtmatig_verblijf", "vertrekplicht"],
	"purpose": "einde_opvang", "legal_basis": _bases, "channel": "bvv",
}

_integral := object.union(object.remove(_extract, ["fields"]), {"form": "integral"})

_ask(exchange, context) := answer if {
	answer := decide.decision with input as {"exchange": exchange, "context": context, "today": "2026-11-28"}
}

_approved := {
	"flows": [object.union(_extract, {"id": "ind-coa-einde-opvang"})],
	"activities": {"ind-coa-einde-opvang": "pa:ind-coa-einde-opvang:0123456789ab"},
}

test_the_lawful_extract_is_allowed_with_its_fields if {
	answer := _ask(_extract, {})
	answer.decision == "allow"
	answer.strip == []
	answer.allowed_fields == ["rechtmatig_verblijf", "v_nummer", "vertrekplicht"]
	answer.flow_id == "exchange"
	{r.severity | some r in answer.reasons} == {"info"}
}

test_the_seed_integral_is_denied_and_stripping_the_surplus_cures_it if {
	answer := _ask(_integral, {})
	answer.decision == "deny"
	answer.curable
	{"asielmotief", "geloofwaardigheidsbeoordeling", "motivering"} & {f | some f in answer.strip} == {
		"asielmotief", "geloofwaardigheidsbeoordeling",
		"motivering",
	}
	count(answer.strip) + count(answer.allowed_fields) == 17
	{r.rule | some r in answer.reasons; r.severity == "error"} == {"integral_not_proportional", "special_category_data"}
	every r in answer.reasons {
		count(r.legal_refs) > 0
		count(r.legal_sources) == count(r.legal_refs)
	}
}

test_no_row_is_not_curable if {
	answer := _ask(object.union(_extract, {"purpose": "huisvesting_vergunninghouders"}), {})
	answer.decision == "deny"
	not answer.curable
	answer.strip == []
	answer.allowed_fields == []
}

test_a_missing_basis_is_not_cured_by_stripping if {
	answer := _ask(object.union(_extract, {"legal_basis": ["avg_6_1_c"]}), {})
	answer.decision == "deny"
	answer.strip == []
}

test_a_field_outside_the_row_is_stripped if {
	answer := _ask(object.union(_extract, {"fields": ["v_nummer", "asielmotief"]}), {})
	answer.decision == "deny"
	answer.strip == ["asielmotief"]
	answer.allowed_fields == ["v_nummer"]
}

test_an_exchange_within_its_approved_flow_is_allowed if {
	answer := _ask(_extract, {"flow_id": "ind-coa-einde-opvang"}) with data.ketencheck.approved as _approved
	answer.decision == "allow"
	answer.flow_id == "ind-coa-einde-opvang"
}

test_an_exchange_beyond_its_approved_flow_is_denied_and_the_excess_stripped if {
	wider := object.union(_extract, {"fields": ["v_nummer", "rechtmatig_verblijf", "vertrekplicht", "uitstel_vertrek"]})
	answer := _ask(wider, {"flow_id": "ind-coa-einde-opvang"}) with data.ketencheck.approved as _approved
	answer.decision == "deny"
	[r.rule | some r in answer.reasons; r.severity == "error"] == ["approved_flow"]
	answer.strip == ["uitstel_vertrek"]
}

test_an_unknown_approved_flow_is_denied if {
	answer := _ask(_extract, {"flow_id": "nope"}) with data.ketencheck.approved as _approved
	answer.decision == "deny"
	not answer.curable
}

test_without_approved_flows_a_flow_id_is_denied if {
	answer := _ask(_extract, {"flow_id": "ind-coa-einde-opvang"})
	answer.decision == "deny"
}

test_a_changed_approved_flow_is_denied if {
	answer := _ask(object.union(_extract, {"purpose": "opvang"}), {"flow_id": "ind-coa-einde-opvang"}) with data.ketencheck.approved as _approved
	some r in answer.reasons
	r.subject == {"changed": ["purpose"]}
}

test_another_processing_activity_is_denied if {
	context := {"flow_id": "ind-coa-einde-opvang", "processing_activity_id": "pa:ind-coa-einde-opvang:ffffffffffff"}
	answer := _ask(_extract, context) with data.ketencheck.approved as _approved
	answer.decision == "deny"
	some r in answer.reasons
	r.subject == {"processing_activity_id": "pa:ind-coa-einde-opvang:ffffffffffff"}
}

test_the_registered_processing_activity_is_allowed if {
	context := {"flow_id": "ind-coa-einde-opvang", "processing_activity_id": "pa:ind-coa-einde-opvang:0123456789ab"}
	answer := _ask(_extract, context) with data.ketencheck.approved as _approved
	answer.decision == "allow"
	answer.processing_activity_id == "pa:ind-coa-einde-opvang:0123456789ab"
}

# A non-originator needs a source: alone it is denied (provenance), among approved flows that deliver it, not.
test_chain_rules_see_the_approved_flows if {
	forward := {
		"from": "COA", "to": "gemeente", "document": "beschikking_toewijzend", "form": "extract",
		"fields": ["v_nummer"], "purpose": "huisvesting_vergunninghouders", "legal_basis": _bases,
	}
	alone := _ask(forward, {})
	some r in alone.reasons
	r.rule == "provenance"
	source := {
		"id": "ind-coa-huisvesting", "from": "IND", "to": "COA", "document": "beschikking_toewijzend",
		"form": "extract", "fields": ["v_nummer"], "purpose": "huisvesting_vergunninghouders",
		"legal_basis": _bases, "channel": "bvv", "retention": "P6M",
	}
	among := _ask(forward, {}) with data.ketencheck.approved as {"flows": [source]}
	every r2 in among.reasons {
		r2.rule != "provenance"
	}
}

test_the_trace_id_comes_from_a_traceparent if {
	answer := _ask(_extract, {"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"})
	answer.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
}

test_an_explicit_trace_id_wins_and_a_bad_traceparent_gives_none if {
	_ask(_extract, {"trace_id": "abc", "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}).trace_id == "abc"
	_ask(_extract, {"traceparent": "garbage"}).trace_id == ""
}

test_the_pack_revision_is_the_bundle_s_when_there_is_one if {
	_ask(_extract, {}).pack_revision == data.ketencheck.catalogue.pack.version
	answer := _ask(_extract, {}) with data.system.bundles as {"ketencheck": {"manifest": {"revision": "1.1.0+abc"}}}
	answer.pack_revision == "1.1.0+abc"
}
