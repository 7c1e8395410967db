package ketencheck.decide.well_formed

import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Exchange not well-formed
# description: >-
#   An exchange that lacks what a flow file requires (from, to, document, purpose, a non-empty list of legal
#   bases, a form of integral or extract, and for an extract a non-empty list of fields) cannot be judged, and
#   what cannot be judged is denied: the rules would otherwise find nothing to object to in an empty message.
# custom:
#   severity: error
#   waivable: false
#   legal_refs:
#     - avg_5_2
deny contains finding if {
	some flow in input.flows
	missing := [key | some key in ["from", "to", "document", "purpose"]; not _text(flow, key)]
	count(missing) > 0
	finding := result.finding(rego.metadata.chain(), flow, {"missing": missing}, "well_formed.missing", {"keys": missing})
}

deny contains finding if {
	some flow in input.flows
	not _ids(object.get(flow, "legal_basis", null))
	finding := result.finding(rego.metadata.chain(), flow, {"missing": ["legal_basis"]}, "well_formed.no_legal_basis", {})
}

deny contains finding if {
	some flow in input.flows
	flow.form == "extract"
	not _ids(object.get(flow, "fields", null))
	finding := result.finding(rego.metadata.chain(), flow, {"missing": ["fields"]}, "well_formed.no_fields", {})
}

_text(flow, key) if {
	is_string(flow[key])
	flow[key] != ""
}

_ids(list) if {
	is_array(list)
	count(list) > 0
	every item in list {
		is_string(item)
	}
}
