package ketencheck.main_test

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.main

# Table test: every row of the need-to-know matrix, for every recipient and document it covers, allows its
# own lawful flow without any finding, warnings included.
test_every_matrix_row_allows_its_lawful_flow[key] if {
	some key, row in catalogue.row_index
	[recipient, document, _] := split(key, "|")
	flow := fx.lawful(row, recipient, document)
	found := main.findings with input as {"flows": [flow]}
	found == set()
}

test_the_table_walks_every_row if {
	every row in catalogue.rows {
		some key, indexed in catalogue.row_index
		indexed.id == row.id
		startswith(key, concat("", [row.recipients[0], "|"]))
	}
}

test_findings_collect_every_rule if {
	flows := [
		fx.integral({"id": "seed"}),
		fx.flow({"id": "self", "from": "COA"}),
		fx.flow({"id": "ggd", "to": "GGD"}),
	]
	fx.fired(flows) == {"integral_not_proportional", "special_category_data", "self_flow", "no_need_to_know"}
}

test_findings_are_per_flow if {
	flows := [fx.integral({"id": "a"}), fx.integral({"id": "b"})]
	found := main.findings with input as {"flows": flows}
	{f.flow | some f in found} == {"a", "b"}
}

test_result_records_pack_and_opa_version if {
	r := main.result with input as {"flows": []}
	r.findings == set()
	r.pack.name == "vreemdelingenketen"
	r.opa_version != ""
}
