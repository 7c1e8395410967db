package ketencheck.rules.field_not_needed

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Field not needed
# description: >-
#   The extract names fields outside the matrix row's set for this recipient, document and purpose. Data must
#   be limited to what is necessary (data minimisation); the recipient receives only what it "behoeft voor
#   de uitvoering van zijn taak". Each surplus field is named and the fix keeps only the needed ones.
# related_resources:
#   - ref: https://wetten.overheid.nl/BWBR0011823/2026-09-01#Hoofdstuk7_Artikel107
#     description: Vw 2000 art. 107(4)
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: AVG art. 5(1)(c)
# custom:
#   severity: error
#   legal_refs:
#     - avg_5_1_c
#     - vw_107_4
deny contains finding if {
	some flow in catalogue.suspects
	flow.form == "extract"
	row := catalogue.row(flow)
	admitted := catalogue.admitted(row, flow.document)
	surplus := catalogue.carried(flow) - admitted
	count(surplus) > 0
	message := sprintf(
		"%s does not need %s from %s for %s; the row admits only %s",
		[flow.to, result.list(surplus), flow.document, flow.purpose, result.list(admitted)],
	)
	finding := result.finding_with_fix(rego.metadata.chain(), flow, {"fields": sort(surplus)}, message, _fix(flow, row, surplus))
}

_fix(flow, _, surplus) := sprintf("fields: %s", [result.yaml_list(kept)]) if {
	kept := [f | some f in flow.fields; not f in surplus]
	count(kept) > 0
}

_fix(flow, row, surplus) := sprintf(
	"fields: %s  %s",
	[result.yaml_list(catalogue.lawful_extract(row, flow.document)), result.upper_bound_note],
) if {
	every f in flow.fields {
		f in surplus
	}
}
