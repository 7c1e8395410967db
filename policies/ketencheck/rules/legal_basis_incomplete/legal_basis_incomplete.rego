package ketencheck.rules.legal_basis_incomplete

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.law
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Legal basis incomplete
# description: >-
#   The flow does not cite every general legal basis of its matrix row. Processing is lawful only on a
#   basis of AVG art. 6(1), and the provision itself needs its statutory ground (Vw 2000 art. 107, the
#   designating regulation, the sector law). Missing special-category and criminal-data bases are reported
#   by special_category_data and criminal_data.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: AVG art. 6(1)
# custom:
#   severity: error
#   legal_refs:
#     - avg_6_1
#     - avg_5_1_a
deny contains finding if {
	some flow in input.flows
	row := catalogue.row(flow)
	missing := catalogue.row_bases_of_kind(row, "general") - catalogue.cited(flow)
	count(missing) > 0
	message := sprintf(
		"%s to %s for %s must cite %s; missing: %s",
		[flow.document, flow.to, flow.purpose, result.list(catalogue.required_bases(row, flow)), _describe(missing)],
	)
	fix := sprintf("legal_basis: %s", [result.yaml_list(catalogue.required_bases(row, flow))])
	finding := result.finding_with_fix(rego.metadata.chain(), flow, {"missing": sort(missing)}, message, fix)
}

# Each missing basis by the provision it rests on as in force on the evaluation date.
_describe(ids) := concat("; ", [sprintf("%s (%s)", [id, law.basis_label(id)]) | some id in sort(ids)])
