# METADATA
# title: Citations by date
# description: >-
#   Resolves the law a finding cites (catalogue/law) to the version in force on the evaluation date, with the
#   official link of that date: Juriconnect 1.3 on wetten.overheid.nl for Dutch law, the ELI on EUR-Lex for EU law.
#   Every provision is resolved once per evaluation, into an object keyed by id, so that a finding looks each
#   reference up in constant time however many flows are checked.
# scope: package
package ketencheck.lib.law

# METADATA
# title: Evaluation date
# description: >-
#   The day the flows are judged, as YYYY-MM-DD: it comes with the input so that a report can be reproduced;
#   the clock is the fallback.
today := input.today

today := time.format([time.now_ns(), "UTC", "2006-01-02"]) if not input.today

# A partial object: a finding looks up only the provisions it cites, so that an evaluation resolves those and
# not the whole catalogue of law. It reads the versions from the pack's index (lib/index.rego): what a citation
# needs, without the quotes and sources of the catalogue, which OPA would otherwise convert on every evaluation.
_versions := data.ketencheck.catalogue.index.law

# METADATA
# title: Resolved provisions
# description: >-
#   Every provision of the catalogue as cited on the evaluation date, keyed by provision id; not those that do
#   not exist on that date (e.g. EU law not yet applicable), which are never cited.
resolved[id] := _source(version) if {
	some id, versions in _versions
	version := _in_force(versions, today)
	not version.absent
}

# Every provision id, and every label rules wrote before they cited ids, to the provision id: one lookup in the
# pack's index (lib/index.rego) per reference. A label that two provisions claim, or that is another's id, makes
# the index build fail loudly (conflicting keys); tests/test_law.py keeps aliases unique.
_refs := data.ketencheck.catalogue.index.refs

# METADATA
# title: Source of a reference
# description: >-
#   A reference of a rule's METADATA as {label, label_nl, url, valid_from, verified}: a provision id, else an
#   old-style label found among the aliases, else the reference as written (in both languages), unverified and
#   without a link.
source(ref) := resolved[_refs[ref]]

source(ref) := {"label": ref, "label_nl": ref, "url": "", "valid_from": "", "verified": false} if not _refs[ref]

# METADATA
# title: Sources of references
# description: >-
#   The sources of a list of references, in order, without repeating a label (two ids may cite one lid) and without
#   those that do not exist on the evaluation date.
sources(refs) := [s |
	some i, s in listed
	not _label_before(listed, i, s.label)
] if {
	# A provision that does not exist on the evaluation date has no resolved source, so it drops out here.
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

# The version in force on the day: the last that started on or before it. Before the first version the first
# applies, unverified, because its text on that day was not read.
# With else, the second body is not evaluated for the common case of a version in force (issue 18: a
# finding's citations are most of what a single-flow decision costs).
_in_force(versions, day) := versions[max(started)] if {
	started := [i | some i, v in versions; v.valid_from <= day]
	count(started) > 0
} else := object.union(versions[0], {"verified": false}) if {
	every v in versions {
		v.valid_from > day
	}
}

_source(version) := {
	"label": version.label,
	"label_nl": version.label_nl,
	"url": _url(version),
	"valid_from": version.valid_from,
	"verified": version.verified,
}

# Juriconnect 1.3 for Dutch law: the link without its dates comes from the index; z (zichtdatum) and g
# (geldigheidsdatum) are the evaluation date, so that the link shows the text as it stood that day. EU law is
# linked by its ELI.
_url(version) := sprintf("%s&z=%s&g=%s", [version.jci, today, today]) if {
	version.jci
} else := version.eli
