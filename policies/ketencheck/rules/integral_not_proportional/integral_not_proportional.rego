package ketencheck.rules.integral_not_proportional

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Integral where an extract suffices
# description: >-
#   The matrix row for the flow's recipient, document and purpose allows only an extract, but the flow sends
#   the whole document. Provision is limited to what the recipient needs for its task and must not harm the
#   data subject's privacy disproportionately: the lawful extract is the fix. This is the 2021 case of IND's
#   integral asylum decisions to COA.
# related_resources:
#   - ref: https://wetten.overheid.nl/BWBR0011823/2026-09-01#Hoofdstuk7_Artikel107
#     description: Vw 2000 art. 107 (lid 4, lid 10)
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj#d1e1807-1-1
#     description: AVG art. 5(1)(c)
# custom:
#   severity: error
#   legal_refs:
#     - avg_5_1_c
#     - vw_107_4
#     - vw_107_proportionality
deny contains finding if {
	some flow in catalogue.suspects
	flow.form == "integral"
	row := catalogue.row(flow)
	row.form == "extract"
	extract := catalogue.lawful_extract(row, flow.document)
	message := sprintf(
		"%s may receive %s for %s only as an extract of at most %d fields; this flow sends the whole document (%d fields%s)",
		[
			flow.to, flow.document, flow.purpose, count(extract),
			count(catalogue.document_fields(flow.document)),
			_special_note(catalogue.carried_of_category(flow, "special")),
		],
	)

	# Every field the row admits is an upper bound, not the recommended extract: the comment says so in the
	# YAML that is pasted.
	fix := sprintf("form: extract\nfields: %s  %s", [result.yaml_list(extract), result.upper_bound_note])
	finding := result.finding_with_fix(rego.metadata.chain(), flow, {"fields": sort(catalogue.carried(flow))}, message, fix)
}

_special_note(special) := sprintf(", including special-category data: %s", [result.list(special)]) if count(special) > 0

_special_note(special) := "" if count(special) == 0
