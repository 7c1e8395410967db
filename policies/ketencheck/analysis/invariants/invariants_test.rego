package ketencheck.analysis.invariants_test

import data.ketencheck.analysis.invariants
import data.ketencheck.catalogue as cat
import data.ketencheck.lib.fixtures_test as fx

test_the_shipped_pack_violates_no_invariant if {
	invariants.violations == []
	count(invariants.malformed) == 0
	count(invariants.invariants) >= 6
}

test_every_invariant_has_a_statement_legal_refs_and_an_owner if {
	every _, invariant in invariants.invariants {
		invariant.statement != ""
		count(invariant.legal_refs) > 0
		every ref in invariant.legal_refs {
			cat.law.provisions[ref]
		}
		invariant.owner != ""
	}
}

# The seed: a row widened so that COA receives the whole refusal breaks the seed's invariant and the asylum motive's.
test_an_integral_refusal_to_coa_violates_the_seed_invariant if {
	widened := [_integral(row) | some row in cat.matrix.rows]
	found := invariants.violations with data.ketencheck.catalogue.matrix.rows as widened
		with data.ketencheck.catalogue.index as fx.index_with(widened)
	found == [
		["asielmotief_only_in_the_procedure", "COA", "beschikking_afwijzend", "asielmotief"],
		["coa_no_special_data_of_decisions_or_hearings", "COA", "beschikking_afwijzend", "asielmotief"],
		["coa_no_special_data_of_decisions_or_hearings", "COA", "beschikking_afwijzend", "geloofwaardigheidsbeoordeling"],
		["coa_no_special_data_of_decisions_or_hearings", "COA", "beschikking_afwijzend", "motivering"],
	]
}

_integral(row) := object.union(object.remove(row, ["fields"]), {"form": "integral"}) if {
	row.id == "coa-afwijzing-einde-opvang"
}

_integral(row) := row if row.id != "coa-afwijzing-einde-opvang"

test_protected_by_field_category_or_everything if {
	invariants.protected({"protects": {"fields": ["naam"]}}, "x", "naam")
	not invariants.protected({"protects": {"fields": ["naam"]}}, "x", "v_nummer")
	invariants.protected({"protects": {"categories": ["special"]}}, "x", "asielmotief")
	invariants.protected({"protects": {"documents": ["x"]}}, "x", "naam")
	not invariants.protected({"protects": {"documents": ["x"]}}, "y", "naam")
	invariants.protected({}, "y", "naam")
}

test_forbidden_by_never_only_and_except if {
	invariants.forbidden({"never": ["COA"]}, "COA", "x")
	not invariants.forbidden({"never": ["COA"]}, "IND", "x")
	invariants.forbidden({"only": ["IND"]}, "COA", "x")
	not invariants.forbidden({"only": ["IND"]}, "IND", "x")
	only_bz := {"only": ["IND"], "except": [{"partner": "BZ", "documents": ["x"]}]}
	not invariants.forbidden(only_bz, "BZ", "x")
	invariants.forbidden(only_bz, "BZ", "y")
}

test_a_malformed_invariant_is_reported if {
	bad := {
		"typo": {"protects": {"fields": ["asielmotif"], "categories": ["secret"]}, "only": ["IND", "INDD"]},
		"neither": {"protects": {"documents": ["nader_gehoorr"]}, "except": [{"partner": "BZZ", "documents": []}]},
	}
	found := invariants.malformed with data.ketencheck.catalogue.invariants as bad
	found == {
		["typo", "unknown field 'asielmotif'"],
		["typo", "unknown category 'secret'"],
		["typo", "unknown partner 'INDD'"],
		["neither", "unknown document 'nader_gehoorr'"],
		["neither", "unknown partner 'BZZ'"],
		["neither", "says neither `only` nor `never`"],
	}
}

test_forbidden_holdings_name_what_an_invariant_forbids if {
	forbidden := invariants.forbidden_holdings.coa_no_special_data_of_decisions_or_hearings
	"COA|beschikking_afwijzend|asielmotief" in forbidden
	not "COA|beschikking_afwijzend|v_nummer" in forbidden
	not "IND|beschikking_afwijzend|asielmotief" in forbidden
}

test_a_pack_without_invariants_has_none if {
	invariants.invariants == {} with data.ketencheck.catalogue as object.remove(cat, ["invariants"])
}
