# METADATA
# title: Decision-log mask
# description: >-
#   Erases free text and personal names from the input before a decision is logged, so that the log holds
#   flow ids, partners, documents, rule ids and verdicts, and nothing a person wrote about a person.
package system.log

mask contains sprintf("/input/flows/%d/description", [i]) if {
	some i, flow in input.input.flows
	flow.description
}

mask contains sprintf("/input/waivers/%d/%s", [i, key]) if {
	some i, waiver in input.input.waivers
	some key in ["justification", "approver"]
	waiver[key]
}

# The decision API (ketencheck.decide): an AuthZEN resource id names the message or case (a V-nummer is personal
# data) and subject properties may name a person; the log keeps the ids that account for the decision (trace,
# request, processing activity, partners, document type, field names) and not these.
mask contains "/input/resource/id" if input.input.resource.id

mask contains "/input/subject/properties" if input.input.subject.properties
