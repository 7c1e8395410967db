package ketencheck.lib.sensitive_test

import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.lib.sensitive

test_unadmitted_names_the_fields_of_the_category_only if {
	flow := fx.flow({"fields": ["v_nummer", "asielmotief"]})
	sensitive.unadmitted(flow, "special") == {"asielmotief"}
	not sensitive.unadmitted(flow, "criminal")
}

test_unadmitted_leaves_an_unknown_reference_alone if {
	not sensitive.unadmitted(fx.integral({"purpose": "onbekend"}), "special")
}

test_uncited_gives_the_row_the_fields_and_the_missing_bases if {
	flow := fx.integral({"to": "DTV", "document": "inreisverbod", "purpose": "terugkeer", "legal_basis": ["avg_6_1_c", "vw_107_4"]})
	uncited := sensitive.uncited(flow, "criminal", {"criminal"})
	uncited.row.id == "dtv-inreisverbod-terugkeer"
	uncited.missing == {"avg_10"}
	count(uncited.fields) > 0
}

test_uncited_is_undefined_when_every_required_basis_is_cited if {
	flow := fx.integral({"to": "DTV", "document": "inreisverbod", "purpose": "terugkeer", "legal_basis": ["avg_6_1_c", "vw_107_4", "vw_107a", "avg_10"]})
	not sensitive.uncited(flow, "criminal", {"criminal"})
}

test_carrying_finds_the_flows_with_a_field_of_the_category if {
	flows := [fx.flow({"id": "plain"}), fx.integral({"id": "whole"}), fx.flow({"id": "motive", "fields": ["asielmotief"]})]
	{flow.id | some flow in sensitive.carrying.special} == {"whole", "motive"} with input as {"flows": flows}
	count(sensitive.carrying.criminal) == 0 with input as {"flows": flows}
}
