package ketencheck.rules.legal_basis_incomplete

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Legal basis incomplete
# description: >-
#   The flow does not cite every legal basis its matrix row requires for what it carries. Processing is
#   lawful only on a basis of AVG art. 6(1), and the provision itself needs its statutory ground (Vw 2000
#   art. 107, the designating regulation, the sector law); that includes the national grounds that depend on
#   what the flow carries: Vw 2000 art. 107a for special-category or criminal data, art. 107(2)(a) for
#   biometrics. The missing AVG art. 9(2) exceptions (and their VV 2000 conditions) and art. 10 basis are
#   reported by special_category_data and criminal_data.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: AVG art. 6(1)
# custom:
#   severity: error
#   legal_refs:
#     - AVG art. 6(1)
#     - AVG art. 5(1)(a)
deny contains finding if {
	some flow in input.flows
	row := catalogue.row(flow)

	# Cheap first: most flows cite every basis of their row, and need no look at what they carry.
	count(_own_bases[row.id] - catalogue.cited(flow)) > 0
	missing := catalogue.missing_bases(row, flow, _kinds)
	count(missing) > 0
	message := sprintf(
		"%s to %s for %s must cite %s; missing: %s",
		[flow.document, flow.to, flow.purpose, result.list(catalogue.required_bases(row, flow)), _describe(missing)],
	)
	fix := sprintf("legal_basis: %s", [result.yaml_list(catalogue.required_bases(row, flow))])
	finding := result.finding_with_fix(rego.metadata.chain(), flow, message, fix)
}

# The kinds this rule reports: the grounds of the provision itself, general or national.
_kinds := {"general", "special_or_criminal", "biometric"}

# The row's bases of this rule's kinds, once per row.
_own_bases[row.id] := {b | some kind in _kinds; some b in catalogue.row_bases_of_kind(row, kind)} if {
	some row in catalogue.rows
}

_describe(ids) := concat("; ", [sprintf("%s (%s)", [id, catalogue.legal_bases[id].short]) | some id in sort(ids)])
