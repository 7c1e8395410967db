package ketencheck.analysis.exposure_test

import data.ketencheck.analysis.exposure
import data.ketencheck.catalogue as cat
import data.ketencheck.lib.chain
import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.lib.index

test_coa_holds_the_statusgegevens_of_a_refusal_and_not_its_motives if {
	exposure.holds("COA", "beschikking_afwijzend", "vertrekplicht")
	not exposure.holds("COA", "beschikking_afwijzend", "asielmotief")
	not exposure.holds("COA", "nader_gehoor", "v_nummer")
}

test_an_originator_holds_its_document if {
	exposure.holds("BMA", "medisch_advies", "medische_gegevens")
	exposure.holds("ADVOCAAT", "zienswijze", "asielmotief")
}

test_ind_holds_what_it_receives if {
	exposure.holds("IND", "ambtsbericht_individueel", "strafrechtelijke_gegevens")
}

test_organisations_without_a_row_hold_nothing if {
	every holding in exposure.holdings {
		not holding[0] in {"GGD", "GZA", "VWN"}
	}
}

test_no_pool_node_is_a_holding if {
	every holding in exposure.holdings {
		holding[0] != "*"
	}
	not exposure.holds("*", "beschikking_afwijzend", "v_nummer")
}

test_a_candidate_cites_what_its_field_requires_and_the_row_channel if {
	some flow in exposure.candidates
	flow.to == "BZ"
	flow.fields == ["asielmotief"]
	flow.legal_basis == ["avg_6_1_e", "vw_107a", "vv_7_1c"]
	flow.channel == "schriftelijk"
	some ordinary in exposure.candidates
	ordinary.to == "BZ"
	ordinary.fields == ["naam"]
	ordinary.legal_basis == ["avg_6_1_e"]
}

test_a_recipient_that_originates_the_document_is_judged_with_another_sender if {
	some flow in exposure.candidates
	flow.to == "BMA"
	flow.document == "medisch_advies"
	flow.from != "BMA"
}

# The single-flow rules read the sender only for self_flow and unknown ids: any other sender gets the same verdicts.
test_the_verdicts_do_not_depend_on_the_sender if {
	moved := [object.union(flow, {"from": _other(flow.to)}) | some flow in exposure.candidates]
	allowed := chain.allowed_on_their_own with input as {"flows": moved, "waivers": [], "today": "2026-09-01"}
	{id | some id, _ in allowed} == {concat("|", [a[0], a[1], a[3], a[2]]) | some a in exposure.admissions}
}

_other("ADVOCAAT") := "RECHTER"

_other(partner) := "ADVOCAAT" if partner != "ADVOCAAT"

# The seed's row widened: COA could hold the asylum motive through an integral refusal.
test_a_widened_row_widens_the_exposure if {
	widened := [_integral(row) | some row in cat.matrix.rows]
	exposure.holds("COA", "beschikking_afwijzend", "asielmotief") with data.ketencheck.catalogue.matrix.rows as widened
		with data.ketencheck.catalogue.index as fx.index_with(widened)
}

_integral(row) := object.union(object.remove(row, ["fields"]), {"form": "integral"}) if {
	row.id == "coa-afwijzing-einde-opvang"
}

_integral(row) := row if row.id != "coa-afwijzing-einde-opvang"

# Over any number of hops: a partner that only a holder other than the originator could supply still gets it.
test_holding_is_transitive if {
	documents := {"d": {"originator": "A", "fields": ["f"]}}
	rows := [
		{"id": "b", "recipients": ["B"], "documents": ["d"], "purpose": "p", "form": "integral", "bases": ["x"]},
		{"id": "c", "recipients": ["C"], "documents": ["d"], "purpose": "p", "form": "integral", "bases": ["x"]},
	]
	idx := index.build with data.ketencheck.catalogue.documents as documents
		with data.ketencheck.catalogue.matrix.rows as rows
		with data.ketencheck.catalogue.partners as {"A": {}, "B": {}, "C": {}}
		with data.ketencheck.catalogue.purposes as {"p": {"partners": ["B", "C"]}}
		with data.ketencheck.catalogue.fields as {"f": {"category": "ordinary"}}
		with data.ketencheck.catalogue.legal_bases as {"x": {"kind": "general"}}
	held := exposure.holdings with data.ketencheck.catalogue.documents as documents
		with data.ketencheck.catalogue.matrix.rows as rows
		with data.ketencheck.catalogue.partners as {"A": {}, "B": {}, "C": {}}
		with data.ketencheck.catalogue.purposes as {"p": {"partners": ["B", "C"]}}
		with data.ketencheck.catalogue.fields as {"f": {"category": "ordinary"}}
		with data.ketencheck.catalogue.legal_bases as {"x": {"kind": "general"}}
		with data.ketencheck.catalogue.index as idx
	held == [["A", "d", "f"], ["B", "d", "f"], ["C", "d", "f"]]
}
