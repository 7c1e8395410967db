package ketencheck.chain.provenance_test

import data.ketencheck.lib.fixtures_test as fx

test_forwarding_what_was_received_is_allowed if {
	fx.chain_findings("provenance", [fx.ind_coa_housing({}), fx.coa_gemeente_housing({})]) == set()
}

test_the_originator_needs_no_source if {
	fx.chain_findings("provenance", [fx.flow({})]) == set()
	fx.chain_findings("provenance", [fx.ind_coa_housing({})]) == set()
}

_from_ind(id, to) := {"id": id, "from": "IND", "to": to, "document": "beschikking_toewijzend"}

# The issue's example: COA never lawfully held the asylum motive, and the municipality may not receive it.
test_coa_forwarding_asielmotief_to_the_municipality_is_denied_twice_over if {
	flows := [fx.ind_coa_housing({}), fx.coa_gemeente_housing({"fields": ["v_nummer", "naam", "asielmotief"]})]
	fx.subjects(fx.chain_findings("provenance", flows)) == {["provenance", {"fields": ["asielmotief"]}]}
	fx.bare(fx.chain_findings("provenance", flows)) == {{
		"flow": "coa-gemeente-huisvesting",
		"rule": "provenance",
		"title": "No lawful source",
		"severity": "error",
		"message_id": "provenance.inbound",
		"arguments": {
			"sender": "COA", "document": "beschikking_toewijzend", "originator": "IND", "fields": ["asielmotief"],
			"inbound": {"flows": [_from_ind("ind-coa-huisvesting", "COA")], "more": 0},
		},
		"legal_refs": ["AVG art. 5(1)(a)", "AVG art. 5(1)(b)", "AVG art. 6(1)", "Vw 2000 art. 107(4)"],
		"fix_id": "extract",
		"fix_arguments": {"fields": ["v_nummer", "naam"]},
	}}
	{"provenance", "field_not_needed", "special_category_data"} == fx.fired(flows)
}

test_without_any_inbound_flow_the_originator_must_send_it if {
	found := fx.chain_findings("provenance", [fx.coa_gemeente_housing({})])
	[f] := [f | some f in found]
	f.message_id == "provenance.no_inbound"
	[f.arguments.sender, f.arguments.fields] == ["COA", ["gezinssamenstelling", "naam", "v_nummer"]]
	[f.fix_id, f.fix_arguments] == ["from.originator", {"originator": "IND"}]
}

test_a_denied_flow_is_no_source if {
	denied := fx.ind_coa_housing({"legal_basis": ["avg_6_1_c"]})
	{f.flow | some f in fx.chain_findings("provenance", [denied, fx.coa_gemeente_housing({})])} == {"coa-gemeente-huisvesting"}
}

test_only_the_fields_received_count if {
	upstream := fx.ind_coa_housing({"fields": ["v_nummer", "naam"]})
	[f] := [f | some f in fx.chain_findings("provenance", [upstream, fx.coa_gemeente_housing({})])]
	f.arguments.fields == ["gezinssamenstelling"]
	[f.fix_id, f.fix_arguments] == ["extract", {"fields": ["v_nummer", "naam"]}]
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
	f.fix_arguments.fields == ["v_nummer", "naam", "geboortedatum", "gezinssamenstelling", "vergunning_geldigheid"]
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
	f.arguments.inbound == {"flows": [_from_ind(sprintf("in-%d", [i]), "COA") | some i in numbers.range(1, 5)], "more": 2}
}

# Pack 1.1: provenance is per document. BMA originates medisch_advies, with medische_gegevens, v_nummer and naam;
# that does not make it a holder of IND's leeftijdsonderzoek, whose fields of the same name are other data.
_bma_rechter(changes) := object.union(
	{
		"id": "bma-rechter", "from": "BMA", "to": "RECHTER", "document": "leeftijdsonderzoek", "form": "integral",
		"purpose": "rechterlijke_toetsing", "legal_basis": ["avg_6_1_c", "avg_9_2_f", "awb_8_42"], "retention": "P1Y",
	},
	changes,
)

_bma_ind := {
	"id": "bma-ind", "from": "BMA", "to": "IND", "document": "medisch_advies", "form": "integral",
	"purpose": "asielbeoordeling", "legal_basis": ["avg_6_1_e", "vw_107a", "avg_9_2_g"], "retention": "P5Y",
}

test_a_field_of_the_same_name_in_another_document_is_no_source if {
	[f] := [f | some f in fx.chain_findings("provenance", [_bma_ind, _bma_rechter({})])]
	f.message_id == "provenance.no_inbound"
	f.arguments == {
		"sender": "BMA", "document": "leeftijdsonderzoek", "originator": "IND",
		"fields": ["geboortedatum", "leeftijdsonderzoek_uitkomst", "medische_gegevens", "minderjarig", "naam", "v_nummer"],
	}
	f.fix_id == "from.originator"
}

# The fix keeps only what the sender holds of this document: never BMA's own v_nummer or medische_gegevens.
test_the_fix_never_keeps_a_field_the_sender_does_not_hold if {
	flow := _bma_rechter({"form": "extract", "fields": ["v_nummer", "medische_gegevens"]})
	[f] := [f | some f in fx.chain_findings("provenance", [_bma_ind, flow])]
	[f.fix_id, f.fix_arguments] == ["from.originator", {"originator": "IND"}]
}

# The hearing: ADVOCAAT originates correcties_aanvullingen, with the fields of the nader_gehoor; it holds IND's
# nader_gehoor only when IND gave it the file.
test_the_representative_holds_the_hearing_only_when_it_received_it if {
	advocaat_rechter := {
		"id": "advocaat-rechter", "from": "ADVOCAAT", "to": "RECHTER", "document": "nader_gehoor", "form": "integral",
		"purpose": "rechterlijke_toetsing", "legal_basis": ["avg_6_1_c", "avg_9_2_f", "awb_8_42"], "retention": "P1Y",
	}
	ind_advocaat := {
		"id": "ind-advocaat", "from": "IND", "to": "ADVOCAAT", "document": "nader_gehoor", "form": "integral",
		"purpose": "rechtsbijstand", "legal_basis": ["avg_6_1_c", "vb_3_109a"], "retention": "P1Y",
	}
	{f.flow | some f in fx.chain_findings("provenance", [advocaat_rechter])} == {"advocaat-rechter"}
	fx.chain_findings("provenance", [ind_advocaat, advocaat_rechter]) == set()
}

# A flow whose only errors are waived is allowed, and so a lawful source; an expired waiver is not enough.
test_a_flow_whose_errors_are_all_waived_is_a_source if {
	upstream := fx.ind_coa_housing({"legal_basis": ["avg_6_1_c", "vw_107_4"]})
	waiver := {"flow": "ind-coa-huisvesting", "rule": "legal_basis_incomplete", "expires": "2027-01-01"}
	flows := [upstream, fx.coa_gemeente_housing({})]
	found := data.ketencheck.chain.provenance.deny with input as {"flows": flows, "waivers": [waiver], "today": "2026-11-28"}
	found == set()
	expired := data.ketencheck.chain.provenance.deny with input as {"flows": flows, "waivers": [waiver], "today": "2027-01-02"}
	{f.flow | some f in expired} == {"coa-gemeente-huisvesting"}
}

# The message names only flows that are allowed: not one denied on its own, nor one that lacks a source itself.
test_the_message_lists_only_allowed_inbound_flows if {
	coa_gemeente := fx.coa_gemeente_housing({"fields": ["v_nummer"]})
	gemeente_uwv := {
		"id": "gemeente-uwv", "from": "GEMEENTE", "to": "UWV", "document": "beschikking_toewijzend", "form": "extract",
		"fields": ["v_nummer"], "purpose": "koppeling_voorzieningen", "legal_basis": ["avg_6_1_c", "vw_107_4", "vb_8_1"],
		"retention": "P1Y",
	}
	denied := fx.coa_gemeente_housing({"id": "coa-gemeente-denied", "fields": ["v_nummer"], "legal_basis": ["avg_6_1_c"]})
	found := fx.chain_findings("provenance", [coa_gemeente, denied, gemeente_uwv])
	[f] := [f | some f in found; f.flow == "gemeente-uwv"]
	[f.message_id, f.arguments.sender] == ["provenance.no_inbound", "GEMEENTE"]
}

# A waived provenance finding makes its flow allowed, so it is listed as an inbound flow.
test_a_flow_with_waived_provenance_is_listed_as_allowed if {
	coa_gemeente := fx.coa_gemeente_housing({"fields": ["v_nummer"]})
	gemeente_uwv := {
		"id": "gemeente-uwv", "from": "GEMEENTE", "to": "UWV", "document": "beschikking_toewijzend", "form": "extract",
		"fields": ["v_nummer"], "purpose": "koppeling_voorzieningen", "legal_basis": ["avg_6_1_c", "vw_107_4", "vb_8_1"],
		"retention": "P1Y",
	}
	waiver := {"flow": "coa-gemeente-huisvesting", "rule": "provenance", "expires": "2027-01-01"}
	found := data.ketencheck.chain.provenance.deny with input as {"flows": [coa_gemeente, gemeente_uwv], "waivers": [waiver], "today": "2026-11-28"}
	[f] := [f | some f in found; f.flow == "gemeente-uwv"]
	f.message_id == "provenance.inbound"
	f.arguments.inbound == {
		"flows": [{
			"id": "coa-gemeente-huisvesting", "from": "COA", "to": "GEMEENTE",
			"document": "beschikking_toewijzend",
		}],
		"more": 0,
	}
}

# Per field, however many hops: a flow denied only for provenance still passes on what its sender held.
test_a_flow_denied_for_provenance_passes_on_what_its_sender_held if {
	upstream := fx.ind_coa_housing({"fields": ["v_nummer"]})
	coa_gemeente := fx.coa_gemeente_housing({"fields": ["v_nummer", "naam"]})
	gemeente_uwv := {
		"id": "gemeente-uwv", "from": "GEMEENTE", "to": "UWV", "document": "beschikking_toewijzend", "form": "extract",
		"fields": ["v_nummer"], "purpose": "koppeling_voorzieningen", "legal_basis": ["avg_6_1_c", "vw_107_4", "vb_8_1"],
		"retention": "P1Y",
	}
	{f.flow | some f in fx.chain_findings("provenance", [upstream, coa_gemeente, gemeente_uwv])} == {"coa-gemeente-huisvesting"}
}
