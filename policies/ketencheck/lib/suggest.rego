# METADATA
# title: Closest known id
# description: >-
#   Suggests the known id a misspelt one most likely meant, only where the difference is a typo: the same id
#   but for case, spaces, hyphens or underscores, or at most two edits (Levenshtein distance <= 2). Among such
#   candidates the one sharing most character bigrams wins. A guess is never made for a legal basis: two
#   grounds one letter apart are different law (unknown_reference).
# scope: package
package ketencheck.lib.suggest

# METADATA
# title: Closest id
# description: The typo-close candidate most similar to the id; undefined when no candidate is a typo away.
closest(id, candidates) := best if {
	scored := {[similarity(id, c), c] | some c in candidates; typo(id, c)}
	count(scored) > 0
	[_, best] := max(scored)
}

# METADATA
# title: Typo
# description: >-
#   Whether b differs from a only as a typo does: the same but for case, spaces, hyphens and underscores, or at
#   most two insertions, deletions or substitutions (case-insensitive).
typo(a, b) if _normal(a) == _normal(b)

typo(a, b) if within_two(split(lower(a), ""), split(lower(b), ""))

_normal(s) := replace(replace(replace(lower(s), " ", ""), "_", ""), "-", "")

# METADATA
# title: Within two edits
# description: Levenshtein distance of the two character lists is at most 2.
within_two(a, b) if within_one(a, b)

# Rego has no recursion: the first mismatch is where an optimal edit script edits (a common prefix never
# needs an edit), so two edits suffice iff after one of the three edits there, one edit is left.
within_two(a, b) if {
	not within_one(a, b)
	abs(count(a) - count(b)) <= 2
	p := _prefix(a, b)
	some [x, y] in [
		[array.slice(a, p + 1, count(a)), array.slice(b, p + 1, count(b))],
		[array.slice(a, p + 1, count(a)), array.slice(b, p, count(b))],
		[array.slice(a, p, count(a)), array.slice(b, p + 1, count(b))],
	]
	within_one(x, y)
}

# METADATA
# title: Within one edit
# description: >-
#   Levenshtein distance of the two character lists is at most 1: once their common prefix and the common
#   suffix of the rest are set aside, at most one character is left of either.
within_one(a, b) if {
	abs(count(a) - count(b)) <= 1
	p := _prefix(a, b)
	s := _prefix(array.reverse(array.slice(a, p, count(a))), array.reverse(array.slice(b, p, count(b))))
	(max([count(a), count(b)]) - p) - s <= 1
}

# The length of the common prefix of two lists.
_prefix(a, b) := min(mismatches) if {
	mismatches := [i | some i, x in a; i < count(b); x != b[i]]
	count(mismatches) > 0
}

_prefix(a, b) := min([count(a), count(b)]) if {
	count([i | some i, x in a; i < count(b); x != b[i]]) == 0
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
