package ketencheck.chain.aggregation_purpose_separation_test

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.chain
import data.ketencheck.lib.fixtures_test as fx

# The municipality gets the housing extract from COA and the BRP extract from IND: the BRP fields are beyond
# what the housing row admits, so the housing flow must show purpose separation. The BRP row admits it all.
test_housing_and_brp_extracts_to_the_municipality_warn_on_the_narrower_purpose if {
	flows := [fx.ind_coa_housing({}), fx.coa_gemeente_housing({}), fx.ind_gemeente_brp({})]
	fx.subjects(fx.chain_findings("aggregation_purpose_separation", flows)) == {["aggregation_purpose_separation", {
		"fields": ["geslacht", "nationaliteit"],
		"with": ["ind-gemeente-brp"],
	}]}
	fx.bare(fx.chain_findings("aggregation_purpose_separation", flows)) == {{
		"flow": "coa-gemeente-huisvesting",
		"rule": "aggregation_purpose_separation",
		"title": "Extracts combine beyond their purpose",
		"severity": "warning",
		"message_id": "aggregation_purpose_separation",
		"arguments": {
			"others": {"flows": ["ind-gemeente-brp"], "more": 0}, "recipient": "GEMEENTE",
			"document": "beschikking_toewijzend", "purpose": "huisvesting_vergunninghouders",
			"fields": ["geslacht", "nationaliteit"],
		},
		"legal_refs": ["AVG art. 5(1)(b)", "AVG art. 5(1)(c)", "AVG art. 25(2)"],
	}}
}

test_extracts_within_one_row_are_fine if {
	brp := fx.ind_gemeente_brp({"fields": ["v_nummer", "naam"]})
	fx.chain_findings("aggregation_purpose_separation", [fx.ind_coa_housing({}), fx.coa_gemeente_housing({}), brp]) == set()
}

test_one_extract_is_its_rows_business if {
	fx.chain_findings("aggregation_purpose_separation", [fx.ind_gemeente_brp({})]) == set()
}

test_flows_denied_on_their_own_do_not_count if {
	surplus := fx.coa_gemeente_housing({"from": "IND", "fields": ["v_nummer", "geslacht", "asielmotief"]})
	fx.chain_findings("aggregation_purpose_separation", [surplus, fx.ind_gemeente_brp({"id": "b"})]) == set()
}

# With rows that are not nested, no single row admits the union: every flow of the group is warned.
test_when_no_row_admits_the_union_every_flow_is_warned if {
	rows := [
		{"id": "a", "recipients": ["GEMEENTE"], "documents": ["beschikking_toewijzend"], "purpose": "brp_inschrijving", "form": "extract", "fields": ["v_nummer", "geslacht"], "bases": ["avg_6_1_c"]},
		{"id": "b", "recipients": ["GEMEENTE"], "documents": ["beschikking_toewijzend"], "purpose": "huisvesting_vergunninghouders", "form": "extract", "fields": ["v_nummer", "naam"], "bases": ["avg_6_1_c"]},
	]
	flows := [
		fx.ind_gemeente_brp({"id": "one", "fields": ["geslacht"], "legal_basis": ["avg_6_1_c"]}),
		fx.ind_gemeente_brp({"id": "two", "fields": ["naam"], "purpose": "huisvesting_vergunninghouders", "legal_basis": ["avg_6_1_c"]}),
	]
	found := fx.chain_findings("aggregation_purpose_separation", flows) with data.ketencheck.catalogue.matrix.rows as rows
		with data.ketencheck.catalogue.index as fx.index_with(rows)
	{f.flow | some f in found} == {"one", "two"}
}

test_a_large_group_names_a_few_and_counts_the_rest if {
	brp := [fx.ind_gemeente_brp({"id": sprintf("brp-%d", [i])}) | some i in numbers.range(1, 7)]
	flows := array.concat([fx.ind_coa_housing({}), fx.coa_gemeente_housing({})], brp)
	[f] := [f | some f in fx.chain_findings("aggregation_purpose_separation", flows)]
	f.arguments.others == {"flows": ["brp-1", "brp-2", "brp-3", "brp-4", "brp-5"], "more": 2}
}

# Why the reading is per purpose (README, "Aggregation"): read literally, "no row admits the union", the rule
# could not fire on the shipped matrix, because wherever one recipient has several rows for one document, one
# of them admits everything the others do. If this test fails, the literal reading has cases and the README
# must say so.
test_on_the_shipped_matrix_one_row_admits_every_union if {
	every key, _ in catalogue.row_index {
		[recipient, document, _] := split(key, "|")
		purposes := catalogue.purposes_for(recipient, document)
		admitted := {f |
			some purpose in purposes
			some f in catalogue.admitted(catalogue.row_for(recipient, document, purpose), document)
		}
		chain.admitted_by_some_row(recipient, document, admitted)
	}
}
