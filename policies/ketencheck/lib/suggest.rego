# METADATA
# title: Closest known id
# description: >-
#   Suggests the known id closest to a misspelt one (Dice similarity of character bigrams, case-insensitive),
#   so that an unknown reference comes with a likely correction.
# scope: package
package ketencheck.lib.suggest

# METADATA
# title: Closest id
# description: The candidate most similar to the id; undefined when none is similar enough to be a guess.
closest(id, candidates) := best if {
	scored := {[similarity(id, c), c] | some c in candidates}
	[score, best] := max(scored)
	score >= 0.4
}

# METADATA
# title: Similarity
# description: Dice coefficient of the two strings' character bigrams, from 0 (nothing shared) to 1.
similarity(a, b) := 1 if lower(a) == lower(b)

# A transposition ("CAO" for "COA") shares few bigrams but every letter: score it as a near miss.
similarity(a, b) := 0.9 if {
	lower(a) != lower(b)
	sort(split(lower(a), "")) == sort(split(lower(b), ""))
}

similarity(a, b) := (2 * count(_bigrams(a) & _bigrams(b))) / (count(_bigrams(a)) + count(_bigrams(b))) if {
	sort(split(lower(a), "")) != sort(split(lower(b), ""))
}

_bigrams(s) := {substring(lower(s), i, 2) | some i in numbers.range(0, count(s) - 2)} if count(s) >= 2

_bigrams(s) := {lower(s)} if count(s) < 2
