package ketencheck.rules.no_need_to_know_test

import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.rules.no_need_to_know as rule

test_coa_may_not_receive_the_medical_advice if {
	flows := [fx.integral({"id": "bma-coa", "from": "BMA", "document": "medisch_advies", "purpose": "opvang"})]
	r := rule.deny with input as {"flows": flows}

	# The digest is lib/result.rego's business (tested there).
	{object.remove(f, ["digest", "legal_sources", "title_nl"]) | some f in r} == {{
		"flow": "bma-coa",
		"rule": "no_need_to_know",
		"title": "No need to know",
		"severity": "error",
		"message_id": "no_need_to_know.receivable",
		"arguments": {
			"recipient": "COA", "document": "medisch_advies",
			"documents": [
				"beschikking_afwijzend", "beschikking_toewijzend", "dwangsom_betaling", "leeftijdsonderzoek",
				"signaal_opvangbehoefte", "vertrekbesluit", "voornemen_afwijzing",
			],
		},
		"legal_refs": ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)"],
		"subject": {},
		"waivable": true,
		"scope": "flow",
	}}
}

test_vwn_receives_nothing if {
	some f in fx.findings("no_need_to_know", [fx.flow({"to": "VWN"})])
	f.message_id == "no_need_to_know.not_bestuursorgaan.designation.no_rows"
	not f.arguments.documents
}

# Pack 1.1: Vw 2000 art. 107(4) is about bestuursorganen; a recipient that is not one needs a designation by
# ministerial regulation (art. 107(8)), and the finding cites that lid and says the pack knows none.
test_a_recipient_that_is_not_a_bestuursorgaan_cites_lid_8 if {
	flows := [fx.integral({"id": "ind-vwn", "to": "VWN", "document": "nader_gehoor", "purpose": "opvang"})]
	r := rule.deny with input as {"flows": flows, "today": "2026-11-28"}

	[f] := [f | some f in fx.bare(r)]
	f == {
		"flow": "ind-vwn",
		"rule": "no_need_to_know",
		"title": "No need to know",
		"severity": "error",
		"message_id": "no_need_to_know.not_bestuursorgaan.designation.no_rows",
		"arguments": {
			"recipient": "VWN", "document": "nader_gehoor",
			"law": {"label": "Vw 2000 art. 107(8)", "label_nl": "artikel 107 lid 8 Vreemdelingenwet 2000", "verified": true},
		},
		"legal_refs": ["AVG art. 5(1)(c)", "Vw 2000 art. 107(8)"],
	}
}

# Before 1 Sept 2026 there was no lid 8: the vreemdelingenadministratie provided only to bestuursorganen (lid 4).
test_before_lid_8_existed_a_recipient_that_is_not_a_bestuursorgaan_cites_lid_4 if {
	flows := [fx.integral({"id": "ind-vwn", "to": "VWN", "document": "nader_gehoor", "purpose": "opvang"})]
	some f in rule.deny with input as {"flows": flows, "today": "2026-08-31"}
	f.legal_refs == ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)"]
	f.message_id == "no_need_to_know.not_bestuursorgaan.bestuursorganen_only.no_rows"
	f.arguments.law.label == "Vw 2000 art. 107(4)"
}

test_every_recipient_that_is_not_a_bestuursorgaan_cites_lid_8_and_the_others_lid_4 if {
	not_bestuursorganen := {"VWN", "GZA"}
	refs := {f.flow: f.legal_refs |
		some f in fx.findings("no_need_to_know", [
			fx.flow({"id": "VWN", "to": "VWN"}),
			fx.flow({"id": "GZA", "to": "GZA"}),
			fx.flow({"id": "GGD", "to": "GGD"}),
		])
	}
	every id in not_bestuursorganen { refs[id] == ["AVG art. 5(1)(c)", "Vw 2000 art. 107(8)"] }
	refs.GGD == ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)"]
}

# A catalogue that does not say whether a partner is a bestuursorgaan keeps the lid 4 reading.
test_a_partner_without_the_flag_is_treated_as_a_bestuursorgaan if {
	found := fx.findings("no_need_to_know", [fx.flow({"id": "x", "to": "VWN"})]) with data.ketencheck.catalogue.partners as {"IND": {"name": "IND"}, "VWN": {"name": "VWN"}}
	[f] := [f | some f in found]
	f.legal_refs == ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)"]
}

test_a_row_for_another_purpose_is_not_this_rule if {
	fx.findings("no_need_to_know", [fx.flow({"purpose": "opvang"})]) == set()
}

test_unknown_recipient_is_left_to_unknown_reference if {
	fx.findings("no_need_to_know", [fx.flow({"to": "CAO"})]) == set()
}

# Pack 1.1, change 3: IND receives what the representative submits, the medical advice it asked BMA for and the
# individual ambtsberichten it asked BZ for; in v1 each of these was no_need_to_know.
test_ind_receives_the_submissions_advice_and_ambtsberichten_of_the_asylum_procedure if {
	bases := ["avg_6_1_e", "vw_107a", "avg_9_2_g"]
	flows := [
		_to_ind("advocaat-zienswijze", "ADVOCAAT", "zienswijze", bases),
		_to_ind("advocaat-correcties", "ADVOCAAT", "correcties_aanvullingen", bases),
		_to_ind("bma-advies", "BMA", "medisch_advies", bases),
		_to_ind("bz-ambtsbericht", "BZ", "ambtsbericht_individueel", ["avg_6_1_e", "vw_107_7", "vw_107a", "avg_9_2_g", "avg_10"]),
	]
	data.ketencheck.main.findings == set() with input as {"flows": flows}
}

# Everything else IND holds, it originates: nobody sends it back.
test_ind_receives_nothing_else if {
	some f in fx.findings("no_need_to_know", [_to_ind("advocaat-gehoor", "ADVOCAAT", "aanmeldgehoor", ["avg_6_1_e"])])
	f.message_id == "no_need_to_know.receivable"
	f.arguments.documents == ["ambtsbericht_individueel", "correcties_aanvullingen", "medisch_advies", "zienswijze"]
}

_to_ind(id, sender, document, bases) := {
	"id": id, "from": sender, "to": "IND", "document": document, "form": "integral",
	"purpose": "asielbeoordeling", "legal_basis": bases, "retention": "P5Y",
}

test_unknown_document_is_left_to_unknown_reference if {
	fx.findings("no_need_to_know", [fx.flow({"document": "beschikking"})]) == set()
	fx.findings("no_need_to_know", [fx.flow({"to": "VWN", "document": "beschikking"})]) == set()
}
