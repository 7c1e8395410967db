# METADATA
# title: Catalogue lookups
# description: >-
#   Indexes over the catalogue (partners, fields, documents, purposes, legal bases and the need-to-know
#   matrix) so that every rule looks a flow up in constant time instead of scanning the matrix.
# scope: package
package ketencheck.lib.catalogue

import data.ketencheck.catalogue as cat
import data.ketencheck.lib.duration

partners := cat.partners

fields := cat.fields

documents := cat.documents

purposes := cat.purposes

legal_bases := cat.legal_bases

rows := cat.matrix.rows

# The indexes built once per pack (lib/index.rego, generated into catalogue/index/data.json): every lookup below
# is by key, so that no evaluation rebuilds them.
_index := cat.index

# METADATA
# title: Flows the single-flow rules judge
# description: >-
#   The flows of the input, in order, except those that are plainly lawful (see plainly_lawful): every
#   single-flow rule walks this list instead of input.flows, so that a flow that matches its row costs one pass
#   here and nothing in the rules. A flow that is not plainly lawful need not be unlawful; the rules decide.
suspects := [flow | some i, flow in input.flows; not plainly_lawful[i]]

# METADATA
# title: Plainly lawful
# description: >-
#   The indexes in input.flows of the flows in which no single-flow rule can find anything, shown by the
#   cheapest sufficient test, in one pass: a different, known sender; a row for its recipient, document and
#   purpose; exactly the row's bases cited (so no basis is missing, surplus or unknown, whatever the flow
#   carries); an integral flow under an integral row, or named fields that the row admits from the document
#   (so each is known, held by the document and needed, and no sensitive field goes unadmitted); the row's
#   channel if it names one; no volume above the DPIA threshold; a retention the purpose allows. Anything the
#   test cannot show, or a value of an unexpected type, leaves the flow to the rules. Each condition implies
#   that some rules do not fire (named above it); main_test.rego checks that no flow it passes has a finding.
#   Data is read from the catalogue directly, not through this package's rules: cheaper per flow. A complete
#   rule: as a partial set, each lookup by index would set up an evaluation of its own. The tests of what the
#   flow sends (_fits) and of its retention are functions of the values they read: OPA evaluates a function
#   once per query for the same arguments, so flows that send the same under one row, or keep it as long for
#   one purpose, share one evaluation, and a single flow pays one call for the five tests.
plainly_lawful := {i |
	some i, flow in input.flows

	# sender, row, bases, form and fields (see _fits)
	lawful := _fits(
		flow.from, flow.to, flow.document, flow.purpose,
		flow.legal_basis, flow.form, object.get(flow, "fields", []),
	)

	# channel_required: the row's channel when it names one
	object.get(flow, "channel", "") == object.get(lawful, "channel", object.get(flow, "channel", ""))

	# dpia_required
	object.get(flow, "volume", 0) <= cat.dpia.volume_threshold

	# retention_missing, retention_exceeds_purpose
	retention_within(flow.retention, flow.purpose)
}

# What a flow must match to be plainly lawful under the row for its recipient, document and purpose (the row's
# entry in index.lawful, which it gives back), for what it sends.
_fits(from, to, document, purpose, bases, form, fields) := lawful if {
	# self_flow; unknown_reference (the index names known recipients, documents and purposes only)
	from != to
	cat.partners[from]

	# no_need_to_know, wrong_purpose
	lawful := cat.index.lawful[to][document][purpose]

	# legal_basis_incomplete, legal_basis_not_applicable, unknown_reference, and the bases of
	# special_category_data and criminal_data: the set of cited bases is the row's
	sort(bases) == lawful.bases

	# integral_not_proportional
	_form_admitted(form, lawful.form)

	# field_not_in_document, field_not_needed, unknown_reference, and the fields of special_category_data and
	# criminal_data: every named field is one the row admits from the document (read whatever the form)
	count([f | some f in fields; not lawful.admits[f]]) == 0
}

_form_admitted("integral", "integral")

_form_admitted("extract", _)

# METADATA
# title: Retention within the purpose's maximum
# description: >-
#   True when the retention text is a duration (lib/duration.rego) of at most the purpose's retention maximum
#   in days; undefined when it is not a duration or the purpose has no maximum. Evaluated once per query for
#   each retention and purpose.
retention_within(retention, purpose) if duration.days(retention) <= max_days[purpose]

# METADATA
# title: Retention beyond the purpose's maximum
# description: >-
#   True when the retention text is a duration of more than the purpose's retention maximum in days.
#   Evaluated once per query for each retention and purpose.
retention_exceeds(retention, purpose) if duration.days(retention) > max_days[purpose]

# METADATA
# title: Retention maximum in days
# description: The retention maximum of each purpose in days, from the index.
max_days := _index.max_days

# METADATA
# title: Kinds of legal basis
# description: >-
#   When the matrix requires a basis of a row: general always; special when the flow carries a special-category
#   field; criminal when it carries a criminal-data field; special_or_criminal when it carries either (Vw 2000
#   art. 107a is the national ground for both); biometric when it carries biometrie (Vw 2000 art. 107(4)
#   excludes facial images and fingerprints, so they need their own ground, art. 107(2)(a)).
kinds := {"general", "special", "criminal", "special_or_criminal", "biometric"}

# METADATA
# title: Documents of a row
# description: The documents a matrix row covers; "*" stands for every document of the catalogue.
row_documents(row) := object.keys(documents) if "*" in row.documents

row_documents(row) := {d | some d in row.documents} if not "*" in row.documents

# METADATA
# title: The row for a recipient, document and purpose
# description: >-
#   The matrix row that lets the recipient receive the document for the purpose; undefined when there is none.
#   The one way to look a row up: no module builds keys of its own.
row_for(recipient, document, purpose) := _index.rows[_index.row[recipient][document][purpose]]

# METADATA
# title: Row index
# description: >-
#   Every matrix row under the key recipient|document|purpose, for tables that walk the whole matrix (the
#   tests). Rules look a row up with row_for.
row_index := {concat("|", [r, d, p]): _index.rows[id] |
	some r, by_document in _index.row
	some d, by_purpose in by_document
	some p, id in by_purpose
}

# METADATA
# title: The matrix row of a flow
# description: The row for the flow's recipient, document and purpose; undefined when there is none.
row(flow) := row_for(flow.to, flow.document, flow.purpose)

# METADATA
# title: Lawful purposes of a recipient and document
# description: The purposes with a row for the recipient and document; undefined when there is none.
purposes_for(recipient, document) := object.keys(_index.row[recipient][document])

# METADATA
# title: Lawful purposes of a flow's recipient and document
# description: The purposes with a row for the flow's recipient and document; undefined when there is none.
lawful_purposes(flow) := purposes_for(flow.to, flow.document)

# METADATA
# title: Widest form allowed
# description: >-
#   The widest form any row gives the recipient for the document, whatever the purpose: integral, extract, or
#   none when no row lets it receive the document at all.
allowed_form(recipient, document) := object.get(_index.allowed_form, [recipient, document], "none")

# METADATA
# title: Receivable documents
# description: The documents some row lets the recipient receive; empty when it has no row at all.
receivable(recipient) := {d | some d in object.get(_index.receivable, recipient, [])}

# METADATA
# title: Known references
# description: True when the flow's recipient, document and purpose are all in the catalogue.
references_known(flow) if {
	cat.partners[flow.to]
	cat.documents[flow.document]
	cat.purposes[flow.purpose]
}

# METADATA
# title: Fields of a document
# description: The set of fields the document type holds.
document_fields(document) := {f | some f in cat.documents[document].fields}

# METADATA
# title: Carried fields
# description: >-
#   The fields a flow carries that its document holds: every field for an integral flow, the named ones
#   for an extract (fields the document does not hold are reported by field_not_in_document).
carried(flow) := _carried(flow.form, flow.document, object.get(flow, "fields", []))

# A function of the form, document and named fields only, so that flows that carry the same share one evaluation
# per query (OPA memoises a function by its arguments).
_carried("integral", document, _) := document_fields(document)

_carried("extract", document, named) := {f | some f in named} & document_fields(document)

# METADATA
# title: Carried fields of a category
# description: The carried fields whose GDPR category is the given one (special, criminal, ...).
carried_of_category(flow, category) := _carried_of_category(flow.form, flow.document, object.get(flow, "fields", []), category)

_carried_of_category(form, document, named, category) := _carried(form, document, named) & _category_set(category)

# The index's list of a category as a set, once per evaluation and category (OPA evaluates a function once per
# query for the same arguments): every flow intersects what it carries with it, and rebuilding a set per flow
# and category cost more than the conversion. Only the categories asked about (special, criminal) are built.
_category_set(category) := {f | some f in object.get(_index.fields_of_category, category, [])}

# METADATA
# title: Fields of a document, of a category
# description: The fields of the document whose GDPR category is the given one; undefined for an unknown document.
document_fields_of_category(document, category) := document_fields(document) & _category_set(category)

# METADATA
# title: Admitted fields
# description: >-
#   The fields a row lets its recipient receive from a document: all of them for an integral row, the
#   row's extract set (as far as the document holds them) for an extract row.
admitted(row, document) := document_fields(document) if row.form == "integral"

admitted(row, document) := {f | some f in row.fields} & document_fields(document) if row.form == "extract"

# METADATA
# title: Admitted fields of a flow
# description: What the flow's row admits; the empty set when no row matches the flow.
admitted_for(flow) := admitted(row(flow), flow.document)

admitted_for(flow) := set() if not row(flow)

# METADATA
# title: Lawful extract
# description: The row's extract fields the document holds, in the row's order, for a fix a person can paste.
lawful_extract(row, document) := [f | some f in row.fields; f in document_fields(document)]

# METADATA
# title: Required bases
# description: >-
#   The row's bases this flow must cite, in the row's order: each when its kind requires it for what the flow
#   carries (see kinds). A basis of the row that is not required may still be cited.
required_bases(row, flow) := _required_bases(
	object.get(row, "bases", []),
	object.get(flow, "form", null), object.get(flow, "document", null), object.get(flow, "fields", []),
)

# A function of the row's bases and what the flow carries (its form, document and named fields), so that flows
# that carry the same under one row share one evaluation per query.
_required_bases(bases, form, document, named) := [b |
	some b in bases
	_required(cat.legal_bases[b].kind, form, document, named)
]

# METADATA
# title: Missing bases of some kinds
# description: >-
#   The bases of the given kinds that the flow's row requires for what it carries and the flow does not cite:
#   each rule reports the kinds it is about, so that a missing basis is reported once.
missing_bases(row, flow, of_kinds) := {b |
	some b in required_bases(row, flow)
	cat.legal_bases[b].kind in of_kinds
	not b in cited(flow)
}

_required("general", _, _, _) := true

_required("special", form, document, named) if _carries(form, document, named, "special")

_required("criminal", form, document, named) if _carries(form, document, named, "criminal")

_required("special_or_criminal", form, document, named) if _carries(form, document, named, "special")

_required("special_or_criminal", form, document, named) if _carries(form, document, named, "criminal")

_required("biometric", form, document, named) if "biometrie" in _carried(form, document, named)

_carries(form, document, named, category) if count(_carried_of_category(form, document, named, category)) > 0

# METADATA
# title: Bases of a row
# description: The set of legal-basis ids a row lists.
row_bases(row) := {b | some b in row.bases}

# METADATA
# title: Bases of a row, of some kinds
# description: The set of the row's legal-basis ids of any of the given kinds.
row_bases_of_kinds(row, of_kinds) := {b | some kind in of_kinds; some b in _index.bases_by_kind[row.id][kind]}

# METADATA
# title: Where a retention maximum comes from
# description: >-
#   The source of a purpose's retention maximum as findings quote it, as data: {source, verified} (and
#   source_nl where the catalogue has it). A maximum no statute sets is a pack default and the message says so,
#   so that nobody mistakes it for a legal limit.
retention_source(limit) := object.union(object.filter(limit, ["source", "source_nl"]), {"verified": limit.verified == true})

# METADATA
# title: Cited bases
# description: The set of legal-basis ids a flow cites.
cited(flow) := {b | some b in flow.legal_basis}

# METADATA
# title: Facts of a flow
# description: >-
#   What the matrix says about a flow, for the audit to show without re-deriving it: carried, the sorted fields
#   it carries that its document holds; categories, their sorted distinct GDPR categories; allowed_form, the
#   widest form any row gives the recipient for the document whatever the purpose (integral, extract or none);
#   row, the id of the row for its recipient, document and purpose, or null. An unknown document or recipient
#   has no fields, no categories, form none and no row.
facts(flow) := {
	"carried": sort(carried_fields),
	"categories": sort({fields[f].category | some f in carried_fields}),
	"allowed_form": allowed_form(flow.to, flow.document),
	"row": _row_id(flow),
} if {
	carried_fields := _carried_or_none(flow)
}

_carried_or_none(flow) := carried(flow)

_carried_or_none(flow) := set() if not carried(flow)

_row_id(flow) := row(flow).id

_row_id(flow) := null if not row(flow)
