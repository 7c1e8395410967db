# METADATA
# title: The pack checks its own rows
# description: >-
#   Every matrix row against what the law documented in the pack requires of it: the bases it must list for the
#   kinds of data it admits (catalogue/row_checks, docs/rules.md: special_category_data, criminal_data), fields its documents hold, and
#   purposes that belong to its recipients' tasks (the purposes table).
# scope: package
package ketencheck.analysis.rows

import data.ketencheck.lib.catalogue

# METADATA
# title: Row checks
# description: The row checks of the catalogue, by id (none when the pack has no such section).
checks := object.get(data.ketencheck.catalogue, "row_checks", {})

# METADATA
# title: Findings
# description: >-
#   Every [check, row, recipient, message] a row breaks, sorted. A row that admits data of a kind without one of
#   the combinations of bases its check requires breaks that check.
findings := sort(array.concat(array.concat(_ground_findings, _field_findings), _purpose_findings))

# METADATA
# title: Exemptions
# description: Every [check, row, recipient, reason] a check did not apply because the recipient is exempt.
exemptions := sort([[id, row.id, recipient, object.get(check, "exception_reason", "")] |
	some id, check in checks
	some row in catalogue.rows
	some recipient in row.recipients
	recipient in object.get(check, "except_recipients", [])
	count(_admitted_of(check, row)) > 0
	not _grounded(check, row)
])

_ground_findings := [[id, row.id, recipient, message] |
	some id, check in checks
	some row in catalogue.rows
	admitted := _admitted_of(check, row)
	count(admitted) > 0
	not _grounded(check, row)
	some recipient in row.recipients
	not recipient in object.get(check, "except_recipients", [])
	message := sprintf(
		"admits %s but lists none of %s",
		[concat(", ", sort(admitted)), concat(" or ", [concat(" + ", set) | some set in check.requires_one_of])],
	)
]

# The fields of the check's kind any document of the row lets its recipient receive.
_admitted_of(check, row) := {f |
	some document in catalogue.row_documents(row)
	catalogue.documents[document]
	some f in catalogue.admitted(row, document)
	_applies(object.get(check, "applies_to", {}), f)
}

_applies(applies_to, field) if field in applies_to.fields

_applies(applies_to, field) if catalogue.fields[field].category in applies_to.categories

_grounded(check, row) if {
	some set in check.requires_one_of
	every basis in set {
		basis in row.bases
	}
}

# METADATA
# title: Fields the documents hold
# description: >-
#   An extract field that none of the row's documents holds (or that the catalogue does not know) admits nothing:
#   a typo, or a document that lost the field.
_field_findings := [["row_fields_in_documents", row.id, "", sprintf("lists %s, which none of its documents holds", [field])] |
	some row in catalogue.rows
	row.form == "extract"
	some field in row.fields
	every document in catalogue.row_documents(row) {
		not field in object.get(catalogue.documents, [document, "fields"], [])
	}
]

# METADATA
# title: Purposes of the recipient's task
# description: >-
#   A row whose purpose is not among its recipient's tasks in the purposes table (AVG art. 5(1)(b), purpose
#   binding); an unknown purpose too.
_purpose_findings := [["purpose_of_recipient", row.id, recipient, message] |
	some row in catalogue.rows
	some recipient in row.recipients
	not recipient in object.get(catalogue.purposes, [row.purpose, "partners"], [])
	message := sprintf("uses purpose %s, which is not a task of %s in the purposes table", [row.purpose, recipient])
]
