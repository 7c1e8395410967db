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

test_a_guess_at_exactly_the_threshold_is_made if {
	# "abx" and "abcd" share one of five bigrams: 2 * 1 / (2 + 3) = 0.4, the lowest score still guessed.
	suggest.similarity("abx", "abcd") == 0.4
	suggest.closest("abx", {"abcd"}) == "abcd"
}
