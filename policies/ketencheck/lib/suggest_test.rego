package ketencheck.lib.suggest_test

import data.ketencheck.lib.suggest

test_transposition_is_found if {
	suggest.closest("CAO", {"COA", "DTV", "IND"}) == "COA"
}

test_misspelling_is_found if {
	suggest.closest("beschikking_afwijzing", {"beschikking_afwijzend", "beschikking_toewijzend"}) == "beschikking_afwijzend"
}

test_case_is_ignored if {
	suggest.closest("coa", {"COA", "DTV"}) == "COA"
	suggest.similarity("coa", "COA") == 1
}

test_nothing_close_gives_no_guess if {
	not suggest.closest("xyz", {"COA", "beschikking_afwijzend"})
}

test_single_characters if {
	suggest.similarity("a", "a") == 1
	suggest.similarity("a", "b") == 0
}

test_a_guess_at_exactly_two_edits_is_made if {
	# "abx" to "abcd": substitute x, insert d.
	suggest.closest("abx", {"abcd"}) == "abcd"
}

test_three_edits_are_no_typo if {
	not suggest.typo("abx", "abcde")
	not suggest.closest("abx", {"abcde"})

	# Issue 16, item 8: one shared stem is not a typo of another id.
	not suggest.closest("beschikking", {"beschikking_afwijzend"})
}

test_case_spacing_and_underscores_are_typos if {
	suggest.closest("Einde Opvang", {"einde_opvang", "huisvesting"}) == "einde_opvang"
	suggest.closest("v-nummer", {"v_nummer"}) == "v_nummer"
	suggest.typo("vertrek_termijn_einddatum", "vertrektermijn_einddatum")
}

test_edit_distance if {
	suggest.within_one(split("abc", ""), split("abc", ""))
	suggest.within_one(split("abc", ""), split("abd", ""))
	suggest.within_one(split("abc", ""), split("ab", ""))
	suggest.within_one(split("abc", ""), split("xabc", ""))
	suggest.within_one(split("", ""), split("a", ""))
	not suggest.within_one(split("ab", ""), split("ba", ""))
	suggest.within_two(split("ab", ""), split("ba", ""))
	suggest.within_two(split("kitten", ""), split("sittin", ""))
	not suggest.within_two(split("kitten", ""), split("sitting", ""))
	not suggest.within_two(split("abcdef", ""), split("abc", ""))
}
