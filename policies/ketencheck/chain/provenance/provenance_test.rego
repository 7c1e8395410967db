package ketencheck.chain.provenance_test

import data.ketencheck.lib.fixtures_test as fx

test_forwarding_what_was_received_is_allowed if {
	fx.chain_findings("provenance", [fx.ind_coa_housing({}), fx.coa_gemeente_housing({})]) == set()
}

test_the_originator_needs_no_source if {
	fx.chain_findings("provenance", [fx.flow({})]) == set()
	fx.chain_findings("provenance", [fx.ind_coa_housing({})]) == set()
}

# The issue's example: COA never lawfully held the asylum motive, and the municipality may not receive it.
test_coa_forwarding_asielmotief_to_the_municipality_is_denied_twice_over if {
	flows := [fx.ind_coa_housing({}), fx.coa_gemeente_housing({"fields": ["v_nummer", "naam", "asielmotief"]})]
	fx.subjects(fx.chain_findings("provenance", flows)) == {["provenance", {"fields": ["asielmotief"]}]}
	fx.bare(fx.chain_findings("provenance", flows)) == {{
		"flow": "coa-gemeente-huisvesting",
		"rule": "provenance",
		"title": "No lawful source",
		"severity": "error",
		"message": concat("", [
			"COA is not the originator of beschikking_toewijzend (IND is) and has no lawful source in this set for ",
			"asielmotief; allowed flows into COA: ind-coa-huisvesting (IND -> COA: beschikking_toewijzend)",
		]),
		"legal_refs": ["AVG art. 5(1)(a)", "AVG art. 5(1)(b)", "AVG art. 6(1)", "Vw 2000 art. 107(4)"],
		"fix": "form: extract\nfields: [v_nummer, naam]",
	}}
	{"provenance", "field_not_needed", "special_category_data"} == fx.fired(flows)
}

test_without_any_inbound_flow_the_originator_must_send_it if {
	found := fx.chain_findings("provenance", [fx.coa_gemeente_housing({})])
	[f] := [f | some f in found]
	endswith(f.message, "has no lawful source in this set for gezinssamenstelling, naam, v_nummer; no allowed flow in this set delivers anything to COA")
	startswith(f.fix, "from: IND")
}

test_a_denied_flow_is_no_source if {
	denied := fx.ind_coa_housing({"legal_basis": ["avg_6_1_c"]})
	{f.flow | some f in fx.chain_findings("provenance", [denied, fx.coa_gemeente_housing({})])} == {"coa-gemeente-huisvesting"}
}

test_only_the_fields_received_count if {
	upstream := fx.ind_coa_housing({"fields": ["v_nummer", "naam"]})
	[f] := [f | some f in fx.chain_findings("provenance", [upstream, fx.coa_gemeente_housing({})])]
	contains(f.message, "no lawful source in this set for gezinssamenstelling;")
	f.fix == "form: extract\nfields: [v_nummer, naam]"
}

# Provenance is transitive: what the middle of a chain never lawfully held, the end cannot receive from it.
test_a_forwarder_without_a_source_passes_nothing_on if {
	coa_gemeente := fx.coa_gemeente_housing({"fields": ["v_nummer"]})
	gemeente_uwv := {
		"id": "gemeente-uwv",
		"from": "GEMEENTE",
		"to": "UWV",
		"document": "beschikking_toewijzend",
		"form": "extract",
		"fields": ["v_nummer"],
		"purpose": "koppeling_voorzieningen",
		"legal_basis": ["avg_6_1_c", "vw_107_4", "vb_8_1"],
		"retention": "P1Y",
	}
	{f.flow | some f in fx.chain_findings("provenance", [coa_gemeente, gemeente_uwv])} == {"coa-gemeente-huisvesting", "gemeente-uwv"}
	fx.chain_findings("provenance", [fx.ind_coa_housing({}), coa_gemeente, gemeente_uwv]) == set()
}

test_an_integral_forward_keeps_what_is_held_as_an_extract if {
	flow := object.remove(fx.coa_gemeente_housing({"form": "integral"}), ["fields"])
	[f] := [f | some f in fx.chain_findings("provenance", [fx.ind_coa_housing({}), flow])]
	f.fix == "form: extract\nfields: [v_nummer, naam, geboortedatum, gezinssamenstelling, vergunning_geldigheid]"
}

test_unknown_senders_and_documents_are_left_to_unknown_reference if {
	fx.chain_findings("provenance", [fx.coa_gemeente_housing({"from": "XYZ"})]) == set()
	fx.chain_findings("provenance", [fx.coa_gemeente_housing({"document": "xyz"})]) == set()
}

# Warnings and info do not deny: a flow with only those is allowed, and so a lawful source.
test_a_flow_with_only_warnings_is_still_a_source if {
	upstream := object.remove(fx.ind_coa_housing({"legal_basis": ["avg_6_1_c", "vw_107_4", "vv_7_1e", "avg_6_1_e"]}), ["retention"])
	{f.rule | some f in data.ketencheck.main.findings with input as {"flows": [upstream]}} == {"legal_basis_not_applicable", "retention_missing"}
	fx.chain_findings("provenance", [upstream, fx.coa_gemeente_housing({})]) == set()
}

test_many_inbound_flows_are_named_five_and_counted if {
	inbound := [fx.ind_coa_housing({"id": sprintf("in-%d", [i]), "fields": ["naam"]}) | some i in numbers.range(1, 7)]
	flows := array.concat(inbound, [fx.coa_gemeente_housing({"fields": ["naam", "asielmotief"]})])
	[f] := [f | some f in fx.chain_findings("provenance", flows)]
	endswith(f.message, concat("", [
		"allowed flows into COA: in-1 (IND -> COA: beschikking_toewijzend), in-2 (IND -> COA: beschikking_toewijzend), ",
		"in-3 (IND -> COA: beschikking_toewijzend), in-4 (IND -> COA: beschikking_toewijzend), ",
		"in-5 (IND -> COA: beschikking_toewijzend) and 2 more",
	]))
}
