# METADATA
# title: Catalogue lookups
# description: >-
#   Indexes over the catalogue (partners, fields, documents, purposes, legal bases and the need-to-know
#   matrix) so that every rule looks a flow up in constant time instead of scanning the matrix.
# scope: package
package ketencheck.lib.catalogue

import data.ketencheck.catalogue as cat

partners := cat.partners

fields := cat.fields

documents := cat.documents

purposes := cat.purposes

legal_bases := cat.legal_bases

rows := cat.matrix.rows

# The ids of the legal bases of each kind, built once per evaluation.
_bases_by_kind[kind] := {id | some id, basis in legal_bases; basis.kind == kind} if {
	some kind in kinds
}

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
# title: Row index
# description: >-
#   Every matrix row under the key recipient|document|purpose. A key that two rows claim makes evaluation
#   fail loudly (conflicting object keys), and the catalogue tests require keys to be unique.
row_index := {_key(r, d, row.purpose): row |
	some row in rows
	some r in row.recipients
	some d in row_documents(row)
}

_pairs := [[_key(r, d, ""), row.purpose] |
	some row in rows
	some r in row.recipients
	some d in row_documents(row)
]

# METADATA
# title: Lawful purposes per recipient and document
# description: For each recipient|document| key, the purposes for which some row lets it receive that document.
purposes_for := {k: {p | some [k2, p] in _pairs; k2 == k} | some [k, _] in _pairs}

_key(recipient, document, purpose) := concat("|", [recipient, document, purpose])

# METADATA
# title: The matrix row of a flow
# description: The row for the flow's recipient, document and purpose; undefined when there is none.
row(flow) := row_index[_key(flow.to, flow.document, flow.purpose)]

# METADATA
# title: Lawful purposes of a flow's recipient and document
# description: The purposes with a row for the flow's recipient and document; undefined when there is none.
lawful_purposes(flow) := purposes_for[_key(flow.to, flow.document, "")]

# METADATA
# title: Known references
# description: True when the flow's recipient, document and purpose are all in the catalogue.
references_known(flow) if {
	partners[flow.to]
	documents[flow.document]
	purposes[flow.purpose]
}

# METADATA
# title: Fields of a document
# description: The set of fields the document type holds.
document_fields(document) := _document_fields[document]

# Built once per evaluation: rules ask for a document's field set once per flow.
_document_fields := {id: {f | some f in document.fields} | some id, document in documents}

# METADATA
# title: Carried fields
# description: >-
#   The fields a flow carries that its document holds: every field for an integral flow, the named ones
#   for an extract (fields the document does not hold are reported by field_not_in_document).
carried(flow) := document_fields(flow.document) if flow.form == "integral"

carried(flow) := {f | some f in flow.fields} & document_fields(flow.document) if flow.form == "extract"

# METADATA
# title: Carried fields of a category
# description: The carried fields whose GDPR category is the given one (special, criminal, ...).
carried_of_category(flow, category) := carried(flow) & _fields_of_category[category]

_fields_of_category[category] := {f | some f, field in fields; field.category == category} if {
	some category in {field.category | some field in fields}
}

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
required_bases(row, flow) := [b |
	some b in row.bases
	_required(legal_bases[b].kind, flow)
]

# METADATA
# title: Missing bases of some kinds
# description: >-
#   The bases of the given kinds that the flow's row requires for what it carries and the flow does not cite:
#   each rule reports the kinds it is about, so that a missing basis is reported once.
missing_bases(row, flow, of_kinds) := {b |
	some b in required_bases(row, flow)
	legal_bases[b].kind in of_kinds
	not b in cited(flow)
}

_required("general", _) := true

_required("special", flow) if _carries(flow, "special")

_required("criminal", flow) if _carries(flow, "criminal")

_required("special_or_criminal", flow) if _carries(flow, "special")

_required("special_or_criminal", flow) if _carries(flow, "criminal")

_required("biometric", flow) if "biometrie" in carried(flow)

_carries(flow, category) if count(carried_of_category(flow, category)) > 0

# METADATA
# title: Bases of a row
# description: The set of legal-basis ids a row lists.
row_bases(row) := _row_bases[row.id]

# METADATA
# title: Bases of a row, of one kind
# description: The set of the row's legal-basis ids of a kind (see kinds).
row_bases_of_kind(row, kind) := _row_bases_by_kind[row.id][kind]

_row_bases[row.id] := {b | some b in row.bases} if some row in rows

_row_bases_by_kind[row.id] := by_kind if {
	some row in rows
	by_kind := {kind: of_kind | some kind, ids in _bases_by_kind; of_kind := _row_bases[row.id] & ids}
}

# METADATA
# title: Where a retention maximum comes from
# description: >-
#   The source of a purpose's retention maximum as findings quote it: a maximum no statute sets is a pack
#   default and says so, so that nobody mistakes it for a legal limit.
retention_source(limit) := sprintf("set by law: %s", [limit.source]) if limit.verified == true

retention_source(limit) := sprintf("pack default, not set by law: %s", [limit.source]) if limit.verified != true

# METADATA
# title: Cited bases
# description: The set of legal-basis ids a flow cites.
cited(flow) := {b | some b in flow.legal_basis}
