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
