package ketencheck.analysis.rows_test

import data.ketencheck.analysis.rows
import data.ketencheck.catalogue as cat

test_every_shipped_row_passes if {
	rows.findings == []
}

test_the_exempt_rows_are_those_of_the_lawyer_the_guardian_and_the_court if {
	{[e[0], e[2]] | some e in rows.exemptions} == {
		["biometric_ground", "ADVOCAAT"], ["biometric_ground", "NIDOS"], ["biometric_ground", "RECHTER"],
		["criminal_data_ground", "ADVOCAAT"], ["criminal_data_ground", "NIDOS"], ["criminal_data_ground", "RECHTER"],
		["special_category_ground", "ADVOCAAT"], ["special_category_ground", "NIDOS"],
	}
}

_with(id, patch) := [_patched(row, id, patch) | some row in cat.matrix.rows]

_patched(row, id, patch) := object.union(object.remove(row, ["fields"]), patch) if row.id == id

_patched(row, id, _) := row if row.id != id

# Issue 17, item 4: the seed's row widened to integral with COA's bases admits asylum motives without art. 9 ground.
test_an_integral_refusal_for_coa_breaks_the_special_category_check if {
	found := rows.findings with data.ketencheck.catalogue.matrix.rows as _with("coa-afwijzing-einde-opvang", {"form": "integral"})
	found == [[
		"special_category_ground", "coa-afwijzing-einde-opvang", "COA",
		"admits asielmotief, geloofwaardigheidsbeoordeling, motivering but lists none of avg_9_2_a or avg_9_2_f or avg_9_2_g + vw_107a or vw_107a + vv_7_1b or vw_107a + vv_7_1c",
	]]
}

test_criminal_data_without_avg_10_breaks_its_check if {
	patch := {"bases": ["avg_6_1_c", "vw_107_4", "vw_107a"]}
	found := rows.findings with data.ketencheck.catalogue.matrix.rows as _with("dji-bewaring", patch)
	found == [["criminal_data_ground", "dji-bewaring", "DJI", "admits bewaringsgronden but lists none of avg_10 + vw_107a"]]
}

test_biometrie_without_its_ground_breaks_its_check if {
	patch := {"bases": ["avg_6_1_c", "vw_107_4", "vw_107a", "vv_7_1b"]}
	found := rows.findings with data.ketencheck.catalogue.matrix.rows as _with("toezicht-identiteit", patch)
	{[f[0], f[2]] | some f in found} == {["biometric_ground", "AVIM"], ["biometric_ground", "KMAR"]}
}

test_a_field_no_document_of_the_row_holds_is_reported if {
	patch := {"form": "extract", "fields": ["v_nummer", "vertrekplicht"]}
	found := rows.findings with data.ketencheck.catalogue.matrix.rows as _with("coa-voornemen-opvang", patch)
	found == [["row_fields_in_documents", "coa-voornemen-opvang", "", "lists vertrekplicht, which none of its documents holds"]]
}

test_a_purpose_outside_the_recipients_task_is_reported if {
	patch := {"form": "extract", "fields": ["v_nummer"], "purpose": "terugkeer"}
	found := rows.findings with data.ketencheck.catalogue.matrix.rows as _with("coa-voornemen-opvang", patch)
	found == [[
		"purpose_of_recipient", "coa-voornemen-opvang", "COA",
		"uses purpose terugkeer, which is not a task of COA in the purposes table",
	]]
}

test_a_pack_without_row_checks_checks_only_fields_and_purposes if {
	rows.checks == {} with data.ketencheck.catalogue as object.remove(cat, ["row_checks"])
}
