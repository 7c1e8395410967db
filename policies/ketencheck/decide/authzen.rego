# METADATA
# title: AuthZEN evaluation of one exchange
# description: >-
#   The decision as an AuthZEN Authorization API 1.0 access evaluation, for a PEP at the exchange point (FTV).
#   The request maps onto ketencheck.decide: subject = the recipient (the afnemer asking), resource = the
#   document with properties from (the aanbieder), form and fields, action = the disclosure with properties
#   purpose, legal_basis, channel, processing_activity_id (NLGov profile) and flow_id, context = trace and
#   request ids and the evaluation date. The response is {decision: true|false, context}. Served as
#   POST /v0/data/ketencheck/decide/authzen, whose body is the request and whose answer is the response.
# scope: package
package ketencheck.decide.authzen

import data.ketencheck.decide

_subject := object.get(input, "subject", {})

_resource := object.get(input, "resource", {})

_action := object.get(input, "action", {})

_request_context := object.get(input, "context", {})

_resource_properties := object.get(_resource, "properties", {})

_action_properties := object.get(_action, "properties", {})

# METADATA
# title: Native input
# description: The AuthZEN request as the input of ketencheck.decide.decision.
native := object.union(
	{
		"exchange": object.union_n([
			{"to": object.get(_subject, "id", ""), "document": object.get(_resource, "type", "")},
			object.filter(_resource_properties, ["from", "form", "fields"]),
			object.filter(_action_properties, ["purpose", "legal_basis", "channel", "retention", "volume", "dpia"]),
		]),
		"context": object.union(
			object.filter(_request_context, ["trace_id", "traceparent", "request_id"]),
			object.filter(_action_properties, ["processing_activity_id", "flow_id"]),
		),
	},
	object.filter(_request_context, ["today"]),
)

_answer := answer if {
	answer := decide.decision with input as native
}

# METADATA
# title: Access evaluation response
# description: >-
#   decision true only on allow; context carries the native decision (strip, allowed_fields, reasons,
#   pack_revision, trace and activity ids) and a reason_admin line, so the PEP can mask and log.
# entrypoint: true
response := {
	"decision": _answer.decision == "allow",
	"context": object.union(_answer, {"reason_admin": {"en": _reason(_answer)}}),
}

_reason(answer) := "allowed" if answer.decision == "allow"

_reason(answer) := sprintf("denied by %s; strip %s to comply", [_rules(answer), concat(", ", answer.strip)]) if {
	answer.decision == "deny"
	answer.curable
}

_reason(answer) := sprintf("denied by %s; not curable by stripping fields", [_rules(answer)]) if {
	answer.decision == "deny"
	not answer.curable
}

_rules(answer) := concat(", ", sort({r.rule | some r in answer.reasons; r.severity == "error"}))
