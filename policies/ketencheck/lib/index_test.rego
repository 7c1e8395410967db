package ketencheck.lib.index_test

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.lib.index

# catalogue/index/data.json is generated from the catalogue a person edits: after an edit, regenerate it with the
# command in lib/index.rego. Until then this test fails, so that no rule reads an index of another catalogue.
test_the_generated_index_is_in_step_with_the_catalogue if {
	index.in_step
}

test_the_index_has_every_row_under_every_key_it_covers if {
	every row in catalogue.rows {
		every r in row.recipients {
			every d in catalogue.row_documents(row) {
				catalogue.row_for(r, d, row.purpose) == row
			}
		}
	}
}

test_the_widest_form_is_integral_if_any_row_is if {
	rows := [
		{"id": "a", "recipients": ["COA"], "documents": ["nader_gehoor"], "purpose": "opvang", "form": "extract", "fields": ["v_nummer"], "bases": []},
		{"id": "b", "recipients": ["COA"], "documents": ["nader_gehoor"], "purpose": "terugkeer", "form": "integral", "bases": []},
		{"id": "c", "recipients": ["DTV"], "documents": ["nader_gehoor"], "purpose": "terugkeer", "form": "extract", "fields": ["v_nummer"], "bases": []},
	]
	built := fx.index_with(rows)
	built.allowed_form == {"COA": {"nader_gehoor": "integral"}, "DTV": {"nader_gehoor": "extract"}}
	built.row == {"COA": {"nader_gehoor": {"opvang": "a", "terugkeer": "b"}}, "DTV": {"nader_gehoor": {"terugkeer": "c"}}}
	built.receivable == {"COA": ["nader_gehoor"], "DTV": ["nader_gehoor"]}
}

test_bases_are_indexed_by_kind if {
	bases := data.ketencheck.catalogue.index.bases_by_kind[catalogue.row_for("DTV", "inreisverbod", "terugkeer").id]
	bases.general == ["avg_6_1_c", "vw_107_4"]
	bases.criminal == ["avg_10"]
	bases.special_or_criminal == ["vw_107a"]
	bases.special == []
}

test_an_edited_catalogue_puts_the_index_out_of_step if {
	edited := array.slice(data.ketencheck.catalogue.matrix.rows, 1, count(data.ketencheck.catalogue.matrix.rows))
	not index.in_step with data.ketencheck.catalogue.matrix.rows as edited
}

test_a_citation_keeps_no_quote_and_links_dutch_law_without_its_dates if {
	law := data.ketencheck.catalogue.index.law
	count(law.vw_107_4) > 0
	every version in law.vw_107_4 {
		startswith(version.jci, "https://wetten.overheid.nl/jci1.3:c:BWBR0011823&")
		not contains(version.jci, "&z=")
		not version.quote
		not version.source
	}
	every version in law.avg_5_1_c {
		startswith(version.eli, "https://eur-lex.europa.eu/eli/")
	}
}

test_the_dutch_citation_is_built_from_the_structure_of_the_version if {
	acts := {
		"eu": {"name": "Verordening X", "name_nl": "Vo X", "eli": "https://eur-lex.europa.eu/eli/reg/1/1/oj"},
		"nl": {"name": "Wet Y", "name_nl": "Wet Y", "bwb": "BWBR1"},
		"book": {"name": "Burgerlijk Wetboek Boek 7", "name_nl": "BW", "boek": "7", "bwb": "BWBR2"},
	}
	version := {"valid_from": "2020-01-01", "label": "x", "verified": true}
	provisions := {
		"eu_1_2_b": {"versions": [object.union(version, {"act": "eu", "artikel": "1", "lid": "2", "onder": "b"})]},
		"nl_3": {"versions": [object.union(version, {"act": "nl", "artikel": "3"})]},
		"book_454_3": {"versions": [object.union(version, {"act": "book", "artikel": "454", "lid": "3"})]},
		"nl_whole": {"versions": [object.union(version, {"act": "nl"})]},
	}
	built := index.build.law with data.ketencheck.catalogue.law as {"acts": acts, "provisions": provisions}
	built.eu_1_2_b[0].label_nl == "Vo X art. 1 lid 2 onder b"
	built.nl_3[0].label_nl == "artikel 3 Wet Y"
	built.book_454_3[0].label_nl == "artikel 7:454 lid 3 BW"
	built.nl_whole[0].label_nl == "Wet Y"
}
