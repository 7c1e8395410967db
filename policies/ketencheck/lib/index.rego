# METADATA
# title: Catalogue indexes
# description: >-
#   What depends only on the pack, built from the catalogue a person edits. OPA caches no rule value across
#   queries, so an index built by a comprehension is rebuilt on every evaluation, and for one flow that rebuild
#   was most of the cost. `build` is therefore written once into catalogue/index/data.json, which OPA loads
#   with the pack (and `ketencheck policy build` puts into the bundle), and the rules look it up by key. A
#   policy test (index_test.rego) regenerates it and fails when the file is out of step with the catalogue.
#   Regenerate after editing the catalogue: `ketencheck policy index --policies policies` (it runs this build
#   with --ignore index and records the digest of the catalogue files it was built from under `sources`). A
#   pack evaluated from a directory whose index is out of step has it rebuilt in its private copy
#   (checker/pack_index.py), so a stale index never decides a verdict.
# scope: package
package ketencheck.lib.index

import data.ketencheck.catalogue as cat
import data.ketencheck.lib.duration

# METADATA
# title: The index document
# description: >-
#   row: recipient -> document -> purpose -> the id of the matrix row for that key; rows: row id -> the row as the
#   catalogue writes it; allowed_form: recipient -> document -> the widest form any row gives (integral or
#   extract); bases_by_kind: row id -> kind -> the row's bases of that kind, sorted; fields_of_category: GDPR
#   category -> its fields, sorted; receivable: recipient -> the documents some row lets it receive, sorted;
#   refs: a provision id, or an old-style label (alias), -> the provision id it names; law: provision id -> its versions as a citation
#   needs them (label, its Dutch form label_nl, dates, verified, absent, and the ELI or the Juriconnect link without
#   the evaluation date); law_dates: every date on which some version of a provision starts, sorted, and
#   law_latest the last of them ("" when there is none); law_on: each
#   of those dates, and "" for the days before them all, -> provision id -> the citation of the version in force
#   from that date until the next (see _law_on); lawful: recipient -> document -> purpose -> what a flow must match to be plainly lawful
#   (see _lawful); max_days: purpose id -> its retention maximum in days (lib/duration.rego). The last two are what
#   the plainly-lawful test of lib/catalogue.rego reads. Two rows that claim one recipient, document and
#   purpose make the build fail loudly (conflicting object keys).
build := {
	"row": _row,
	"rows": {row.id: row | some row in cat.matrix.rows},
	"allowed_form": _allowed_form,
	"bases_by_kind": {row.id: _bases_by_kind(row) | some row in cat.matrix.rows},
	"fields_of_category": {category: sort({f | some f, field in cat.fields; field.category == category}) |
		some category in {field.category | some field in cat.fields}
	},
	"receivable": {recipient: sort(documents) | some recipient, documents in _receivable},
	"refs": {ref: id |
		some id, provision in cat.law.provisions
		some ref in array.concat([id], object.get(provision, "aliases", []))
	},
	"law": {id: [_citation(version) | some version in provision.versions] | some id, provision in cat.law.provisions},
	"law_dates": _law_dates,
	"law_latest": max(array.concat([""], _law_dates)),
	"law_on": {day: _law_on(day) | some day in array.concat([""], _law_dates)},
	"lawful": {r: {d: {p: _lawful(cat.matrix.rows[i], d) | some [r2, d2, p, i] in _covered_ids; r2 == r; d2 == d} |
		some [r2, d, _, _] in _covered_ids
		r2 == r
	} |
		some [r, _, _, _] in _covered_ids
	},
	"max_days": {purpose: duration.days(p.retention.max) | some purpose, p in cat.purposes},
}

# What lib/catalogue.rego's plainly_lawful reads of the row for one recipient, document and purpose: the known
# fields the row admits from the document (as an object of true, a set to look a field up in by key); the
# row's known bases, distinct and sorted; the row's form; its channel, when it names one.
_lawful(row, document) := object.union(
	{
		"form": row.form,
		"admits": {f: true | some f in _admitted(row, document); cat.fields[f]},
		"bases": sort({b | some b in row.bases; cat.legal_bases[b]}),
	},
	object.filter(row, ["channel"]),
)

# Known ids only: plainly_lawful trusts that a flow with an entry names a known recipient, document and purpose.
_covered_ids := [[r, d, row.purpose, i] |
	some i, row in cat.matrix.rows
	some r in row.recipients
	cat.partners[r]
	some d in _row_documents(row)
	cat.documents[d]
	cat.purposes[row.purpose]
]

# What lib/catalogue.rego's admitted(row, document) gives: every field of the document for an integral row, the
# row's extract as far as the document holds it for an extract row.
_admitted(row, document) := cat.documents[document].fields if row.form == "integral"

_admitted(row, document) := [f | some f in row.fields; f in cat.documents[document].fields] if row.form == "extract"

# What a citation needs of a version: no quote, no source. Its link is the ELI for EU law, and for Dutch law the
# Juriconnect link without the evaluation date, which lib/law.rego adds.
_citation(version) := object.union_n([
	object.filter(version, ["valid_from", "valid_until", "label", "verified", "absent"]),
	{"label_nl": _label_nl(cat.law.acts[version.act], version)},
	_link(cat.law.acts[version.act], version),
])

# Every day on which the law of the catalogue changes: between two of them, every provision cites one version.
_law_dates := sort({version.valid_from | some provision in cat.law.provisions; some version in provision.versions})

# The citation of every provision on a day, computed for the first day of each stretch between two dates on which
# the law changes ("" stands for the days before the first): lib/law.rego finds the last of those dates on or
# before the evaluation date once per query and looks each citation up, instead of choosing a version per
# provision it cites. An object keyed by date, not an array: OPA converts an array of the data whole when it is
# read, an object only as far as it is looked up.
# The version in force on a day is the last that started on or before it; before the first version the first
# applies, unverified, because its text on that day was not read. A provision absent on the day has none.
_law_on(day) := {id: _cited(_citation(version)) |
	some id, provision in cat.law.provisions
	version := _in_force(provision.versions, day)
	not version.absent
}

# A citation as a finding shows it, but for the evaluation date that a Juriconnect link adds (dated: true).
_cited(citation) := {
	"label": citation.label,
	"label_nl": citation.label_nl,
	"valid_from": citation.valid_from,
	"verified": citation.verified,
	"link": _link_of(citation),
	"dated": "jci" in object.keys(citation),
}

_link_of(citation) := citation.jci

_link_of(citation) := citation.eli if not citation.jci

_in_force(versions, day) := versions[max(started)] if {
	started := [i | some i, v in versions; v.valid_from <= day]
	count(started) > 0
} else := object.union(versions[0], {"verified": false}) if {
	every v in versions {
		v.valid_from > day
	}
}

# The Dutch citation, from the structure of the version and its act, so that the two languages cannot drift apart:
# EU law as Dutch practice cites a regulation ("AVG art. 5 lid 1 onder c"), Dutch law as the Aanwijzingen voor de
# regelgeving do without their commas ("artikel 107 lid 4 Vreemdelingenwet 2000"). The act as a whole by its name.
_label_nl(act, version) := act.name_nl if not version.artikel

_label_nl(act, version) := sprintf("%s art. %s", [act.name_nl, _provision_nl(act, version)]) if {
	version.artikel
	act.eli
}

_label_nl(act, version) := sprintf("artikel %s %s", [_provision_nl(act, version), act.name_nl]) if {
	version.artikel
	not act.eli
}

_provision_nl(act, version) := concat(" ", array.concat(
	[concat("", [_book(act), version.artikel])],
	[sprintf("%s %s", [part, version[part]]) | some part in ["lid", "onder"]; version[part]],
))

_book(act) := sprintf("%s:", [act.boek]) if act.boek

_book(act) := "" if not act.boek

_link(act, version) := {"jci": sprintf("https://wetten.overheid.nl/jci1.3:c:%s%s", [act.bwb, parts])} if {
	parts := concat("", [sprintf("&%s=%s", [part, version[part]]) | some part in _jci_parts; version[part]])
}

_link(act, _) := {"eli": act.eli} if not act.bwb

# Juriconnect 1.3: the structure parts in this order, leaving out those the act does not have.
_jci_parts := ["hoofdstuk", "titeldeel", "titel", "afdeling", "paragraaf", "artikel", "lid"]

# METADATA
# title: Index in step
# description: >-
#   True when the loaded index (catalogue/index/data.json) is what build gives for the catalogue loaded with
#   it. The rules trust the index without checking, so a harness that loads a pack under review (--policies)
#   can ask this once per run rather than judge flows by an index of another catalogue.
in_step if object.remove(data.ketencheck.catalogue.index, ["sources"]) == build

_kinds := {"general", "special", "criminal", "special_or_criminal", "biometric"}

# Every recipient|document|purpose a row covers, as [recipient, document, purpose, row].
_covered := [[r, d, row.purpose, row] |
	some row in cat.matrix.rows
	some r in row.recipients
	some d in _row_documents(row)
]

_row_documents(row) := object.keys(cat.documents) if "*" in row.documents

_row_documents(row) := {d | some d in row.documents} if not "*" in row.documents

_row := {r: {d: _purposes(r, d) | some [r2, d, _, _] in _covered; r2 == r} | some [r, _, _, _] in _covered}

_purposes(recipient, document) := {p: row.id | some [r, d, p, row] in _covered; r == recipient; d == document}

_allowed_form := {r: {d: _widest(r, d) | some d, _ in by_document} | some r, by_document in _row}

_widest(recipient, document) := "integral" if _has_integral(recipient, document)

_widest(recipient, document) := "extract" if not _has_integral(recipient, document)

_has_integral(recipient, document) if {
	some [r, d, _, row] in _covered
	r == recipient
	d == document
	row.form == "integral"
}

_bases_by_kind(row) := {kind: sort({b | some b in row.bases; cat.legal_bases[b].kind == kind}) | some kind in _kinds}

_receivable := {r: {d | some [r2, d, _, _] in _covered; r2 == r} | some [r, _, _, _] in _covered}
