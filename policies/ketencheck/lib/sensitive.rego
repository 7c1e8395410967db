# METADATA
# title: Sensitive data
# description: >-
#   What special_category_data (AVG art. 9) and criminal_data (AVG art. 10) have in common: a field of their
#   category may flow only where the flow's matrix row admits it, and then only citing the bases of the kinds
#   the row requires for it. Each rule names its category, its kinds and its own words; the test is here once.
# scope: package
package ketencheck.lib.sensitive

import data.ketencheck.lib.catalogue

# METADATA
# title: Flows that carry a category
# description: >-
#   The flows of the input that carry a field of the category (special or criminal), found in one pass that
#   both rules of the category share; most flows carry none, and are not looked at again. A complete rule:
#   both categories in one evaluation, where a partial object set one up per category.
carrying := {category: [flow |
	some flow in catalogue.suspects
	count(catalogue.carried_of_category(flow, category)) > 0
] |
	some category in {"special", "criminal"}
}

# METADATA
# title: Fields no row admits
# description: >-
#   The fields of the category that the flow carries and its row does not admit (all of them when no row
#   matches); undefined when there are none, or when the flow names an unknown reference (unknown_reference
#   reports that).
unadmitted(flow, category) := fields if {
	# Cheap first: most flows carry no field of the category, and need no look at their row.
	carried := catalogue.carried_of_category(flow, category)
	count(carried) > 0
	catalogue.references_known(flow)
	fields := carried - catalogue.admitted_for(flow)
	count(fields) > 0
}

# METADATA
# title: Bases a flow of admitted sensitive fields does not cite
# description: >-
#   For a flow whose row admits every field of the category it carries: {row, fields, missing}, the row, those
#   fields and the bases of the given kinds that the row requires for them and the flow does not cite;
#   undefined when it carries none of them or cites every required basis.
uncited(flow, category, of_kinds) := {"row": row, "fields": fields, "missing": missing} if {
	row := catalogue.row(flow)
	fields := catalogue.carried_of_category(flow, category)
	count(fields) > 0
	count(fields - catalogue.admitted(row, flow.document)) == 0

	# Cheap first: most flows cite every basis of their row, and need no look at which of them are required.
	count(catalogue.row_bases_of_kinds(row, of_kinds) - catalogue.cited(flow)) > 0
	missing := catalogue.missing_bases(row, flow, of_kinds)
	count(missing) > 0
}
