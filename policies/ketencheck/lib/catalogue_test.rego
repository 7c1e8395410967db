package ketencheck.lib.catalogue_test

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.fixtures_test as fx

# The catalogue is data that people edit: these tests keep it coherent.

test_row_keys_are_unique if {
	expanded := [1 |
		some row in catalogue.rows
		some _ in row.recipients
		some _ in catalogue.row_documents(row)
	]
	count(catalogue.row_index) == count(expanded)
}

test_row_ids_are_unique if {
	count({row.id | some row in catalogue.rows}) == count(catalogue.rows)
}

test_rows_name_known_ids if {
	every row in catalogue.rows {
		every r in row.recipients { catalogue.partners[r] }
		every d in catalogue.row_documents(row) { catalogue.documents[d] }
		catalogue.purposes[row.purpose]
		every b in row.bases { catalogue.legal_bases[b] }
		every f in object.get(row, "fields", []) { catalogue.fields[f] }
	}
}

test_extract_rows_fit_their_documents if {
	every row in catalogue.rows {
		_extract_fits(row)
	}
}

_extract_fits(row) if row.form == "integral"

_extract_fits(row) if {
	row.form == "extract"
	every d in catalogue.row_documents(row) {
		count(catalogue.lawful_extract(row, d)) > 0
	}
}

test_documents_name_known_fields_and_originators if {
	every _, document in catalogue.documents {
		catalogue.partners[document.originator]
		every f in document.fields { catalogue.fields[f] }
	}
}

test_purposes_belong_to_known_partners if {
	every _, purpose in catalogue.purposes {
		every p in purpose.partners { catalogue.partners[p] }
	}
}

test_fields_have_a_gdpr_category if {
	every _, field in catalogue.fields {
		field.category in {"ordinary", "national_id", "special", "criminal"}
	}
}

test_legal_bases_have_kind_citation_and_version if {
	every _, basis in catalogue.legal_bases {
		basis.kind in catalogue.kinds
		basis.citation != ""
		regex.match(`^\d{4}-\d{2}-\d{2}$`, basis.valid_from)
	}
}

test_no_row_for_vwn_gza_ggd if {
	every row in catalogue.rows {
		every p in {"VWN", "GZA", "GGD"} { not p in row.recipients }
	}
}

test_any_document_rows_cover_every_document if {
	count(catalogue.row_documents({"documents": ["*"]})) == count(catalogue.documents)
}

test_carried_integral_is_every_field if {
	catalogue.carried(fx.integral({})) == catalogue.document_fields("beschikking_afwijzend")
}

test_carried_extract_drops_fields_the_document_lacks if {
	catalogue.carried(fx.flow({"fields": ["v_nummer", "religie"]})) == {"v_nummer"}
}

test_required_bases_depend_on_carried_categories if {
	row := catalogue.row_index["BZ|nader_gehoor|ambtsbericht_onderzoek"]
	plain := {"document": "nader_gehoor", "form": "extract", "fields": ["v_nummer"]}
	special := object.union(plain, {"fields": ["asielmotief"]})
	catalogue.required_bases(row, plain) == ["avg_6_1_e"]
	catalogue.required_bases(row, special) == ["avg_6_1_e", "vw_107a", "vv_7_1c"]
}

test_criminal_bases_required_only_with_criminal_fields if {
	row := catalogue.row_index["DTV|inreisverbod|terugkeer"]
	integral := {"document": "inreisverbod", "form": "integral"}
	extract := {"document": "inreisverbod", "form": "extract", "fields": ["v_nummer"]}
	catalogue.required_bases(row, integral) == ["avg_6_1_c", "vw_107_4", "vw_107a", "avg_10"]
	catalogue.required_bases(row, extract) == ["avg_6_1_c", "vw_107_4"]
}

test_admitted_for_without_row_is_empty if {
	catalogue.admitted_for(fx.flow({"to": "GGD"})) == set()
}

test_lawful_purposes if {
	catalogue.lawful_purposes(fx.flow({"to": "GEMEENTE", "document": "beschikking_toewijzend"})) == {
		"brp_inschrijving",
		"huisvesting_vergunninghouders",
	}
}

# Pack 1.1: Vw 2000 art. 107a is the national ground for special-category and criminal data alike.
test_vw_107a_is_required_for_special_or_criminal_data if {
	ambtsbericht := catalogue.row_index["IND|ambtsbericht_individueel|asielbeoordeling"]
	criminal_only := {"document": "ambtsbericht_individueel", "form": "extract", "fields": ["strafrechtelijke_gegevens"]}
	special_only := {"document": "ambtsbericht_individueel", "form": "extract", "fields": ["asielmotief"]}
	neither := {"document": "ambtsbericht_individueel", "form": "extract", "fields": ["naam"]}
	catalogue.required_bases(ambtsbericht, criminal_only) == ["avg_6_1_e", "vw_107_7", "vw_107a", "avg_10"]
	catalogue.required_bases(ambtsbericht, special_only) == ["avg_6_1_e", "vw_107_7", "vw_107a", "avg_9_2_g"]
	catalogue.required_bases(ambtsbericht, neither) == ["avg_6_1_e", "vw_107_7"]
}

# Pack 1.1: biometrics have their own ground, required only when the flow carries biometrie.
test_vw_107_2_a_is_required_only_for_biometrie if {
	row := catalogue.row_index["DTV|identiteitsdocumenten|terugkeer"]
	integral := {"document": "identiteitsdocumenten", "form": "integral"}
	other_special := {"document": "identiteitsdocumenten", "form": "extract", "fields": ["naam"]}
	catalogue.required_bases(row, integral) == ["avg_6_1_c", "vw_107_4", "vw_107_2_a", "vw_107a", "vv_7_1b"]
	catalogue.required_bases(row, other_special) == ["avg_6_1_c", "vw_107_4"]
	catalogue.legal_bases.vw_107_2_a.kind == "biometric"
	catalogue.legal_bases.vw_107a.kind == "special_or_criminal"
}

test_missing_bases_are_split_by_kind if {
	row := catalogue.row_index["DTV|inreisverbod|terugkeer"]
	flow := {"document": "inreisverbod", "form": "integral", "legal_basis": ["avg_6_1_c"]}
	catalogue.missing_bases(row, flow, {"general", "special_or_criminal"}) == {"vw_107_4", "vw_107a"}
	catalogue.missing_bases(row, flow, {"criminal"}) == {"avg_10"}
}

test_every_partner_says_whether_it_is_a_bestuursorgaan if {
	every _, partner in catalogue.partners {
		is_boolean(partner.bestuursorgaan)
	}
}

test_row_for_finds_the_row_of_a_recipient_document_and_purpose if {
	catalogue.row_for("COA", "beschikking_afwijzend", "einde_opvang").id == "coa-afwijzing-einde-opvang"
	not catalogue.row_for("COA", "beschikking_afwijzend", "opvang")
	not catalogue.row_for("GGD", "beschikking_afwijzend", "einde_opvang")
}

test_facts_of_an_integral_flow if {
	facts := catalogue.facts(fx.integral({}))
	facts.carried == sort(catalogue.document_fields("beschikking_afwijzend"))
	facts.categories == ["national_id", "ordinary", "special"]
	facts.allowed_form == "extract"
	facts.row == "coa-afwijzing-einde-opvang"
}

test_facts_of_an_extract_keep_only_what_the_document_holds if {
	facts := catalogue.facts(fx.flow({"fields": ["vertrekplicht", "v_nummer", "religie"]}))
	facts.carried == ["v_nummer", "vertrekplicht"]
	facts.categories == ["national_id", "ordinary"]
}

test_facts_without_a_row_for_the_purpose_still_give_the_widest_form if {
	facts := catalogue.facts(fx.integral({"to": "DTV", "purpose": "opvang"}))
	facts.row == null
	facts.allowed_form == "integral"
}

test_facts_of_unknown_references_are_empty if {
	empty := {"carried": [], "categories": [], "allowed_form": "none", "row": null}
	catalogue.facts(fx.flow({"document": "onbekend"})) == empty
	catalogue.facts(fx.flow({"to": "ONBEKEND"})) == object.union(empty, {"carried": catalogue.facts(fx.flow({})).carried, "categories": catalogue.facts(fx.flow({})).categories})
	catalogue.facts(fx.flow({"to": "GGD"})).allowed_form == "none"
}
