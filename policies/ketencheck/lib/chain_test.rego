package ketencheck.lib.chain_test

import data.ketencheck.lib.chain

test_others_names_all_of_a_small_group if {
	chain.others({"members": {"a", "b", "c"}, "first": ["a", "b", "c"]}, "b") == {"flows": ["a", "c"], "more": 0}
}

test_others_names_five_and_counts_the_rest if {
	group := {"members": {"a", "b", "c", "d", "e", "f", "g", "h"}, "first": ["a", "b", "c", "d", "e", "f"]}
	chain.others(group, "h") == {"flows": ["a", "b", "c", "d", "e"], "more": 2}
	chain.others(group, "c") == {"flows": ["a", "b", "d", "e", "f"], "more": 2}
}

test_others_of_exactly_six_names_all_five if {
	group := {"members": {"a", "b", "c", "d", "e", "f"}, "first": ["a", "b", "c", "d", "e", "f"]}
	chain.others(group, "a") == {"flows": ["b", "c", "d", "e", "f"], "more": 0}
}

test_others_of_seven_counts_one_more if {
	group := {"members": {"a", "b", "c", "d", "e", "f", "g"}, "first": ["a", "b", "c", "d", "e", "f"]}
	chain.others(group, "g") == {"flows": ["a", "b", "c", "d", "e"], "more": 1}
}
