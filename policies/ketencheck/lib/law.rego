# METADATA
# title: Citations by date
# description: >-
#   Resolves the law a finding cites (catalogue/law) to the version in force on the evaluation date, with the
#   official link of that date: Juriconnect 1.3 on wetten.overheid.nl for Dutch law, the ELI on EUR-Lex for EU law.
#   The pack's index holds every provision's citation for each stretch of days between two dates on which the
#   law changes, so that a finding looks each reference up in constant time however many flows are checked.
# scope: package
package ketencheck.lib.law

# METADATA
# title: Evaluation date
# description: >-
#   The day the flows are judged, as YYYY-MM-DD: it comes with the input so that a report can be reproduced;
#   the clock is the fallback.
today := input.today if input.today

else := time.format([time.now_ns(), "UTC", "2006-01-02"])

# The versions of each provision as a citation needs them, from the pack's index (lib/index.rego): what a
# citation needs, without the quotes and sources of the catalogue.
_versions := data.ketencheck.catalogue.index.law

# What a Juriconnect link adds to show the text as it stood on the evaluation date (true), built once per query;
# an ELI adds nothing (false).
_tail := {true: sprintf("&z=%s&g=%s", [today, today]), false: ""}

# METADATA
# title: Resolved provisions
# description: >-
#   Every provision of the catalogue as cited on the evaluation date, keyed by provision id; not those that do
#   not exist on that date (e.g. EU law not yet applicable), which are never cited. A partial object: an
#   evaluation resolves only the provisions its findings cite.
resolved[id] := _source(citation) if {
	some id, citation in _on
}

# The citation of every provision as in force on the evaluation date, without the date a link adds: the stretch
# that starts on the last date on which the law changed on or before the evaluation date ("" before the first).
# Every provision cites one version from that date until the next, and the index holds that citation
# (index.law_on), so a citation is one lookup rather than a choice among the provision's versions. Nearly always
# the evaluation date is on or after the last of those dates: then the stretch is one lookup. (Each rule a query
# evaluates costs it some allocations: the date and the stretch are one rule, not two.)
_on := data.ketencheck.catalogue.index.law_on[latest] if {
	latest := data.ketencheck.catalogue.index.law_latest
	latest <= today
} else := data.ketencheck.catalogue.index.law_on[max(array.concat(
	[""],
	[day | some day in data.ketencheck.catalogue.index.law_dates; day <= today],
))]

# Every provision id, and every label rules wrote before they cited ids, to the provision id: one lookup in the
# pack's index (lib/index.rego) per reference (index.refs, read where it is used rather than through a rule of
# its own). A label that two provisions claim, or that is another's id, makes the index build fail loudly
# (conflicting keys); tests/test_law.py keeps aliases unique.

# METADATA
# title: Source of a reference
# description: >-
#   A reference of a rule's METADATA as {label, label_nl, url, valid_from, verified}: a provision id, else an
#   old-style label found among the aliases, else the reference as written (in both languages), unverified and
#   without a link.
source(ref) := _source(citation) if {
	citation := _on[data.ketencheck.catalogue.index.refs[ref]]
} else := {"label": ref, "label_nl": ref, "url": "", "valid_from": "", "verified": false} if not data.ketencheck.catalogue.index.refs[ref]

# METADATA
# title: Sources of references
# description: >-
#   The sources of a list of references, in order, without repeating a label (two ids may cite one lid) and without
#   those that do not exist on the evaluation date.
sources(refs) := listed if {
	# The common case, in one comprehension (issue 18: citations were most of what a finding cost): every
	# reference names a provision that exists on the evaluation date, each under another label.
	listed := [{
		"label": citation.label,
		"label_nl": citation.label_nl,
		"url": concat("", [citation.link, _tail[citation.dated]]),
		"valid_from": citation.valid_from,
		"verified": citation.verified,
	} |
		some ref in refs
		citation := _on[data.ketencheck.catalogue.index.refs[ref]]
	]
	count({s.label | some s in listed}) == count(refs)
} else := [s |
	some i, s in listed
	not _label_before(listed, i, s.label)
] if {
	# A provision that does not exist on the evaluation date has no source, so it drops out here.
	listed := [s | some ref in refs; s := source(ref)]
}

_label_before(listed, i, label) if {
	some j, earlier in listed
	j < i
	earlier.label == label
}

# METADATA
# title: Sources of a legal basis
# description: >-
#   The provisions a legal basis of the catalogue rests on, as cited on the evaluation date: its `law` list, else
#   the provision of the same id, else its `short` citation, unverified.
basis_sources(id) := sources(data.ketencheck.catalogue.legal_bases[id].law)

basis_sources(id) := sources([id]) if {
	not data.ketencheck.catalogue.legal_bases[id].law
	_versions[id]
}

basis_sources(id) := [source(data.ketencheck.catalogue.legal_bases[id].short)] if {
	not data.ketencheck.catalogue.legal_bases[id].law
	not _versions[id]
}

# METADATA
# title: Label of a legal basis
# description: What a message names a legal basis by on the evaluation date, saying so when its text is unverified.
basis_label(id) := concat(" jo. ", [_marked(s) | some s in basis_sources(id)])

_marked(s) := s.label if s.verified

_marked(s) := sprintf("%s, text not verified", [s.label]) if not s.verified

# METADATA
# title: Dutch label of a legal basis
# description: basis_label in Dutch, from the same sources (their label_nl), saying so when the text is unverified.
basis_label_nl(id) := concat(" jo. ", [_marked_nl(s) | some s in basis_sources(id)])

_marked_nl(s) := s.label_nl if s.verified

_marked_nl(s) := sprintf("%s, tekst niet gecontroleerd", [s.label_nl]) if not s.verified

# A citation with its link as of the evaluation date: a Juriconnect link (Dutch law) shows the text as it stood
# that day, with z (zichtdatum) and g (geldigheidsdatum) the evaluation date; an ELI (EU law) as it is. sources
# builds the same object in its comprehension.
_source(citation) := {
	"label": citation.label,
	"label_nl": citation.label_nl,
	"url": concat("", [citation.link, _tail[citation.dated]]),
	"valid_from": citation.valid_from,
	"verified": citation.verified,
}
