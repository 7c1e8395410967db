# METADATA
# title: Invariants of the pack
# description: >-
#   The statements of catalogue/invariants held against the exposure: a partner that can hold a protected field
#   of a protected document, and is not allowed to, violates the invariant. An invariant that names an id the
#   catalogue does not know is reported too, as it would silently protect nothing.
# scope: package
package ketencheck.analysis.invariants

import data.ketencheck.analysis.exposure
import data.ketencheck.lib.catalogue

# METADATA
# title: Invariants
# description: The invariants of the catalogue, by id (none when the pack has no such section).
invariants := object.get(data.ketencheck.catalogue, "invariants", {})

# METADATA
# title: Violations
# description: >-
#   Every [invariant, partner, document, field] where a partner can hold what the invariant forbids it, sorted.
violations := sort([[id, partner, document, field] |
	some [partner, document, field] in exposure.holdings
	some id, invariant in invariants
	protected(invariant, document, field)
	forbidden(invariant, partner, document)
])

# METADATA
# title: Protected
# description: True when the invariant protects this field of this document.
protected(invariant, document, field) if {
	_document_protected(object.get(invariant, "protects", {}), document)
	_field_protected(object.get(invariant, "protects", {}), field)
}

_document_protected(protects, _) if not protects.documents

_document_protected(protects, document) if document in protects.documents

_field_protected(protects, _) if {
	not protects.fields
	not protects.categories
}

_field_protected(protects, field) if field in protects.fields

_field_protected(protects, field) if catalogue.fields[field].category in protects.categories

# METADATA
# title: Forbidden
# description: True when the invariant forbids the partner to hold what it protects of this document.
forbidden(invariant, partner, _) if partner in invariant.never

forbidden(invariant, partner, document) if {
	invariant.only
	not partner in invariant.only
	not _excepted(invariant, partner, document)
}

_excepted(invariant, partner, document) if {
	some exception in invariant.except
	exception.partner == partner
	document in exception.documents
}

# METADATA
# title: Forbidden holdings
# description: >-
#   For each invariant, every partner|document|field it forbids, whatever the matrix: what `policy diff` compares
#   to tell whether a changed invariant protects less.
forbidden_holdings[id] := {concat("|", [partner, document, field]) |
	some partner, _ in catalogue.partners
	some document, d in catalogue.documents
	some field in d.fields
	protected(invariant, document, field)
	forbidden(invariant, partner, document)
} if {
	some id, invariant in invariants
}

# METADATA
# title: Malformed invariants
# description: >-
#   [invariant, problem] for an invariant that names an unknown partner, document, field or category, or says
#   neither `only` nor `never`: it would protect less than it says.
malformed contains [id, sprintf("unknown %s '%s'", [kind, value])] if {
	some id, invariant in invariants
	some [kind, value, known] in _references(invariant)
	not value in known
}

malformed contains [id, "says neither `only` nor `never`"] if {
	some id, invariant in invariants
	not invariant.only
	not invariant.never
}

_references(invariant) := array.concat(
	[["partner", p, _partners] | some p in _partners_named(invariant)],
	array.concat(
		[["document", d, _documents] | some d in _documents_named(invariant)],
		array.concat(
			[["field", f, _fields] | some f in object.get(object.get(invariant, "protects", {}), "fields", [])],
			[["category", c, _categories] | some c in object.get(object.get(invariant, "protects", {}), "categories", [])],
		),
	),
)

_partners_named(invariant) := array.concat(
	array.concat(object.get(invariant, "only", []), object.get(invariant, "never", [])),
	[e.partner | some e in object.get(invariant, "except", [])],
)

_documents_named(invariant) := array.concat(
	object.get(object.get(invariant, "protects", {}), "documents", []),
	[d | some e in object.get(invariant, "except", []); some d in e.documents],
)

_partners := {p | some p, _ in catalogue.partners}

_documents := {d | some d, _ in catalogue.documents}

_fields := {f | some f, _ in catalogue.fields}

_categories := {field.category | some field in catalogue.fields}
