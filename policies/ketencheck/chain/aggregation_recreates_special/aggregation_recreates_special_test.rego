package ketencheck.chain.aggregation_recreates_special_test

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.fixtures_test as fx

# Two rows, each admitting half of the hearing's special-category fields to BZ: both extracts are lawful on
# their own, and together they are the hearing's sensitive part, which no row admits at once.
_rows := [
	{
		"id": "half-one", "recipients": ["BZ"], "documents": ["nader_gehoor"], "purpose": "ambtsbericht_onderzoek",
		"form": "extract", "fields": ["v_nummer", "asielmotief", "religie", "seksuele_gerichtheid"],
		"bases": ["avg_6_1_e", "vw_107a", "vv_7_1c"],
	},
	{
		"id": "half-two", "recipients": ["BZ"], "documents": ["nader_gehoor"], "purpose": "terugkeer",
		"form": "extract", "fields": ["v_nummer", "politieke_opvatting", "etniciteit", "medische_gegevens"],
		"bases": ["avg_6_1_e", "vw_107a", "vv_7_1c"],
	},
]

_to_bz(id, fields, purpose) := {
	"id": id, "from": "IND", "to": "BZ", "document": "nader_gehoor", "form": "extract", "fields": fields,
	"purpose": purpose, "legal_basis": ["avg_6_1_e", "vw_107a", "vv_7_1c"], "retention": "P1Y",
}

_halves := [
	_to_bz("one", ["v_nummer", "asielmotief", "religie", "seksuele_gerichtheid"], "ambtsbericht_onderzoek"),
	_to_bz("two", ["v_nummer", "politieke_opvatting", "etniciteit", "medische_gegevens"], "terugkeer"),
]

test_extracts_that_add_up_to_every_special_field_are_denied if {
	found := fx.chain_findings("aggregation_recreates_special", _halves) with data.ketencheck.catalogue.matrix.rows as _rows
		with data.ketencheck.catalogue.index as fx.index_with(_rows)
	{f.flow | some f in found} == {"one", "two"}
	some f in found
	f.flow == "one"
	f.subject == {
		"fields": ["asielmotief", "etniciteit", "medische_gegevens", "politieke_opvatting", "religie", "seksuele_gerichtheid"],
		"with": ["two"],
	}
	f.scope == "chain"
	object.remove(f, ["subject", "digest", "waivable", "scope", "title_nl"]) == {
		"flow": "one",
		"rule": "aggregation_recreates_special",
		"title": "Extracts re-create the special-category data",
		"severity": "error",
		"message_id": "aggregation_recreates_special",
		"arguments": {
			"others": {"flows": ["two"], "more": 0}, "recipient": "BZ", "document": "nader_gehoor",
			"fields": [
				"asielmotief", "etniciteit", "medische_gegevens", "politieke_opvatting", "religie",
				"seksuele_gerichtheid",
			],
		},
		"legal_refs": ["AVG art. 9(1)", "AVG art. 5(1)(c)", "Vw 2000 art. 107(4)"],
	}

	# The error replaces the purpose-separation warning for the same group.
	warned := fx.chain_findings("aggregation_purpose_separation", _halves) with data.ketencheck.catalogue.matrix.rows as _rows
		with data.ketencheck.catalogue.index as fx.index_with(_rows)
	warned == set()
}

test_extracts_short_of_one_special_field_are_a_warning_only if {
	flows := [_halves[0], _to_bz("two", ["v_nummer", "politieke_opvatting", "etniciteit"], "terugkeer")]
	denied := fx.chain_findings("aggregation_recreates_special", flows) with data.ketencheck.catalogue.matrix.rows as _rows
		with data.ketencheck.catalogue.index as fx.index_with(_rows)
	denied == set()
	warned := fx.chain_findings("aggregation_purpose_separation", flows) with data.ketencheck.catalogue.matrix.rows as _rows
		with data.ketencheck.catalogue.index as fx.index_with(_rows)
	count(warned) == 2
}

test_a_row_that_admits_the_whole_union_is_fine if {
	rows := array.concat(_rows, [object.union(_rows[0], {
		"id": "all", "purpose": "rechtsbijstand",
		"fields": ["v_nummer", "asielmotief", "religie", "seksuele_gerichtheid", "politieke_opvatting", "etniciteit", "medische_gegevens"],
	})])
	found := fx.chain_findings("aggregation_recreates_special", _halves) with data.ketencheck.catalogue.matrix.rows as rows
		with data.ketencheck.catalogue.index as fx.index_with(rows)
	found == set()
}

# A document without special-category fields has nothing to re-create: beyond the rows is a warning only.
test_a_document_without_special_fields_is_never_this_error if {
	rows := [
		{"id": "a", "recipients": ["GEMEENTE"], "documents": ["vertrekbesluit"], "purpose": "brp_inschrijving", "form": "extract", "fields": ["v_nummer", "naam"], "bases": ["avg_6_1_c"]},
		{"id": "b", "recipients": ["GEMEENTE"], "documents": ["vertrekbesluit"], "purpose": "huisvesting_vergunninghouders", "form": "extract", "fields": ["v_nummer", "besluitdatum"], "bases": ["avg_6_1_c"]},
	]
	flows := [
		fx.flow({"id": "one", "to": "GEMEENTE", "document": "vertrekbesluit", "fields": ["naam"], "purpose": "brp_inschrijving", "legal_basis": ["avg_6_1_c"]}),
		fx.flow({"id": "two", "to": "GEMEENTE", "document": "vertrekbesluit", "fields": ["besluitdatum"], "purpose": "huisvesting_vergunninghouders", "legal_basis": ["avg_6_1_c"]}),
	]
	denied := fx.chain_findings("aggregation_recreates_special", flows) with data.ketencheck.catalogue.matrix.rows as rows
		with data.ketencheck.catalogue.index as fx.index_with(rows)
	denied == set()
	warned := fx.chain_findings("aggregation_purpose_separation", flows) with data.ketencheck.catalogue.matrix.rows as rows
		with data.ketencheck.catalogue.index as fx.index_with(rows)
	count(warned) == 2
}

# Why the rule cannot fire on the shipped matrix (README, "Aggregation"): an extract allowed on its own carries
# only special fields some extract row admits, and wherever the rows for one recipient and document admit all
# of its special fields, one of them is integral, which admits any union. The rule guards a matrix that splits
# a document's special fields over extract rows for different purposes; its tests above override the matrix.
# If this test fails, the shipped matrix can now be circumvented by extracts and the README must say so.
test_the_shipped_matrix_gives_the_rule_nothing_to_catch if {
	every key, _ in catalogue.row_index {
		[recipient, document, _] := split(key, "|")
		purposes := catalogue.purposes_for(recipient, document)
		_no_extracts_add_up(recipient, document, purposes)
	}
}

_no_extracts_add_up(recipient, document, purposes) if {
	some purpose in purposes
	catalogue.row_for(recipient, document, purpose).form == "integral"
}

_no_extracts_add_up(recipient, document, purposes) if {
	special := catalogue.carried_of_category({"document": document, "form": "integral"}, "special")
	admitted := {f |
		some purpose in purposes
		some f in catalogue.admitted(catalogue.row_for(recipient, document, purpose), document)
	}
	count(special - admitted) > 0
}

_no_extracts_add_up(_, document, _) if {
	count(catalogue.carried_of_category({"document": document, "form": "integral"}, "special")) == 0
}
