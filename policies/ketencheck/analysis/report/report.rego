# METADATA
# title: What `ketencheck policy` asks of a pack
# description: >-
#   One document with everything the policy commands read: the exposure (admissions and holdings), the
#   invariants and their violations, the row checks, and the cells of the matrix that `policy diff` compares.
# scope: package
package ketencheck.analysis.report

import data.ketencheck.analysis.exposure
import data.ketencheck.analysis.invariants
import data.ketencheck.analysis.rows
import data.ketencheck.lib.catalogue

# METADATA
# title: Result
# description: The analysis of the pack; `cells` and `forbidden` only for a diff (input.diff), as they are large.
# entrypoint: true
result := object.union(
	{
		"pack": object.get(data.ketencheck.catalogue, "pack", {}),
		"partners": sort(object.keys(catalogue.partners)),
		"originators": {id: d.originator | some id, d in catalogue.documents},
		"categories": {id: f.category | some id, f in catalogue.fields},
		"admissions": exposure.admissions,
		"holdings": exposure.holdings,
		"invariants": invariants.invariants,
		"violations": invariants.violations,
		"malformed": sort([m | some m in invariants.malformed]),
		"row_checks": {id: object.get(c, "title", id) | some id, c in rows.checks},
		"row_findings": rows.findings,
		"exemptions": rows.exemptions,
		"rows": count(catalogue.rows),
		"law": object.get(data.ketencheck.catalogue, "law", {}),
	},
	_diff,
)

_diff := {"cells": cells, "forbidden": invariants.forbidden_holdings} if input.diff

_diff := {} if not input.diff

# METADATA
# title: Cells
# description: >-
#   Every recipient|document|purpose a row opens: its row, form, admitted fields, the bases the row lists
#   (applicable) and the channel it requires.
cells[key] := {
	"row": row.id,
	"form": row.form,
	"fields": sort([f | some f in catalogue.admitted(row, document)]),
	"bases": sort(row.bases),
	"channel": object.get(row, "channel", ""),
} if {
	some key, row in catalogue.row_index
	[_, document, _] := split(key, "|")
	catalogue.documents[document]
}
