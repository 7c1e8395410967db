package ketencheck.rules.channel_required_test

import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.rules.channel_required as rule

_bz(changes) := fx.flow(object.union(
	{
		"id": "bz",
		"to": "BZ",
		"document": "nader_gehoor",
		"fields": ["v_nummer", "asielmotief"],
		"purpose": "ambtsbericht_onderzoek",
		"legal_basis": ["avg_6_1_e", "vw_107a", "vv_7_1c"],
	},
	changes,
))

test_special_data_to_bz_without_a_channel_is_denied if {
	r := rule.deny with input as {"flows": [_bz({})]}
	fx.bare(r) == {{
		"flow": "bz",
		"rule": "channel_required",
		"title": "Channel required",
		"severity": "error",
		"message_id": "channel_required.none",
		"arguments": {
			"document": "nader_gehoor", "recipient": "BZ", "purpose": "ambtsbericht_onderzoek",
			"channel": "schriftelijk",
		},
		"legal_refs": ["VV 2000 art. 7.1c(2)", "AVG art. 32"],
		"fix_id": "channel",
		"fix_arguments": {"channel": "schriftelijk"},
	}}
}

test_another_channel_is_denied if {
	some f in fx.findings("channel_required", [_bz({"channel": "bvv"})])
	f.message_id == "channel_required"
	f.arguments.named == "bvv"
}

test_the_required_channel_is_allowed if {
	fx.findings("channel_required", [_bz({"channel": "schriftelijk"})]) == set()
}

test_rows_without_a_channel_accept_any if {
	fx.findings("channel_required", [fx.flow({"channel": "bvv"})]) == set()
}

# Pack 1.1: IND's request for medical advice reaches BMA integrally, in writing (VV 2000 art. 7.1c(2)).
test_the_request_for_medical_advice_goes_to_bma_in_writing if {
	request := {
		"id": "ind-bma", "from": "IND", "to": "BMA", "document": "adviesaanvraag_medisch", "form": "integral",
		"purpose": "medische_advisering", "legal_basis": ["avg_6_1_e", "avg_9_2_a", "vv_7_1c"], "retention": "P1Y",
	}
	data.ketencheck.main.findings == set() with input as {"flows": [object.union(request, {"channel": "schriftelijk"})]}
	{f.rule | some f in data.ketencheck.main.findings with input as {"flows": [request]}} == {"channel_required"}
}
