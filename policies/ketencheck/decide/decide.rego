# METADATA
# title: Decision on one exchange
# description: >-
#   Run time: may this message go, now? Input one exchange (sender, recipient, document, the fields present, purpose,
#   cited bases) with optional context (trace_id or traceparent, processing_activity_id, the approved flow_id,
#   request_id). The answer is allow exactly when the same exchange written as a flow file is allowed by
#   `ketencheck check`: the single-flow rules judge it as a one-flow input, the chain rules judge it among the
#   approved flows (data.ketencheck.approved), and an exchange sent as an approved flow must fit that flow.
#   Nothing is judged twice: the rules are the pack's own. See docs/decision-api.md.
# scope: package
package ketencheck.decide

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.law

# METADATA
# title: Decision
# description: >-
#   {decision, allowed_fields, strip, curable, reasons, flow_id, pack_revision, trace_id, processing_activity_id,
#   request_id, today}: deny on any error finding; strip the fields whose removal leaves a lawful message under
#   the row (empty when stripping cannot cure the deny); reasons are the findings as check reports them.
# entrypoint: true
decision := {
	"decision": _verdict,
	"allowed_fields": _allowed_fields,
	"strip": _strip,
	"curable": _curable,
	"reasons": reasons,
	"flow_id": flow.id,
	"pack_revision": pack_revision,
	"trace_id": trace_id,
	"processing_activity_id": object.get(_context, "processing_activity_id", ""),
	"request_id": object.get(_context, "request_id", ""),
	"today": law.today,
}

_context := object.get(input, "context", {})

_exchange := object.get(input, "exchange", {})

# METADATA
# title: Exchange as a flow
# description: >-
#   The exchange as the flow check would judge: its approved flow id or "exchange"; integral when it says
#   so, else an extract of the fields present.
flow := object.union(
	object.filter(_exchange, ["from", "to", "document", "purpose", "legal_basis", "channel", "retention", "volume", "dpia"]),
	object.union({"id": _flow_id}, _shape(_exchange)),
)

_flow_id := _context.flow_id if is_string(_context.flow_id)

_flow_id := "exchange" if not _given("flow_id")

# A context key that holds text; a missing or non-text one counts as not given.
_given(key) if is_string(_context[key])

_shape(exchange) := {"form": "integral"} if exchange.form == "integral"

_shape(exchange) := {"form": "extract", "fields": object.get(exchange, "fields", [])} if {
	object.get(exchange, "form", "extract") != "integral"
}

# METADATA
# title: Reasons
# description: Every finding about the exchange, ordered by rule, as check reports them (legal_refs by date).
reasons := _findings(flow)

_findings(judged) := [pair[1] | some pair in sort([[f.rule, f] | some f in _found(judged)])]

# One evaluation per judged message: the single-flow rules, the chain rules (among the approved flows, replacing
# the one it is sent as, as check sees a flow among the others of its run), well-formedness and, when sent as an
# approved flow, the fit to it. One input for all, so the catalogue's indexes are built once per message.
_found(judged) := {f | some f in found; f.flow == judged.id} if {
	found := _judged with input as object.union(
		{"flows": array.concat(_others(judged), [judged]), "today": law.today, "fit": _sent_as_approved},
		object.filter(_context, ["processing_activity_id"]),
	)
}

_judged contains f if {
	some name
	some f in data.ketencheck.rules[name].deny
}

_judged contains f if {
	some name
	some f in data.ketencheck.chain[name].deny
}

_judged contains f if some f in data.ketencheck.decide.well_formed.deny

_judged contains f if {
	input.fit == true
	some f in data.ketencheck.decide.approved_flow.deny
}

default _sent_as_approved := false

_sent_as_approved if _given("flow_id")

_others(judged) := [f | some f in _approved_flows; f.id != judged.id]

default _approved_flows := []

_approved_flows := data.ketencheck.approved.flows

_verdict := "deny" if _errors(reasons)

_verdict := "allow" if not _errors(reasons)

_errors(findings) if {
	some f in findings
	f.severity == "error"
}

# The fields the message holds: every field of the document when it is sent integral.
_present := catalogue.document_fields(flow.document) if flow.form == "integral"

_present := {f | some f in flow.fields} if flow.form == "extract"

# What the row (and the approved flow it is sent as) admits of the fields present.
_keep := (_present & catalogue.admitted_for(flow)) & _approved_fields

_approved_fields := catalogue.carried(_approved[_flow_id]) if _approved[_flow_id]

_approved_fields := _present if not _approved[_flow_id]

_approved[f.id] := f if some f in _approved_flows

# The message with only what is kept, as an extract: lawful or not, by the same rules.
_remainder := object.union(flow, {"form": "extract", "fields": sort(_keep)})

_curable if {
	_verdict == "deny"
	count(_keep) > 0
	not _errors(_findings(_remainder))
}

default _curable := false

_allowed_fields := sort(_present) if _verdict == "allow"

_allowed_fields := sort(_keep) if _curable

_allowed_fields := [] if {
	_verdict == "deny"
	not _curable
}

_strip := sort(_present - _keep) if _curable

_strip := [] if not _curable

# METADATA
# title: Trace id
# description: >-
#   context.trace_id, else the trace id of a W3C traceparent (version-traceid-spanid-flags), else "": the Logboek
#   Dataverwerkingen links a log record to the processing by it.
trace_id := _context.trace_id if is_string(_context.trace_id)

trace_id := split(_context.traceparent, "-")[1] if {
	not _given("trace_id")
	regex.match(`^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$`, _context.traceparent)
}

trace_id := "" if {
	not _given("trace_id")
	not regex.match(`^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$`, object.get(_context, "traceparent", ""))
}

# METADATA
# title: Pack revision
# description: >-
#   The revision of the loaded ketencheck bundle (version+digest, as check reports it); the pack's version when
#   the pack is loaded as a directory (the harness then adds the digest).
pack_revision := data.system.bundles.ketencheck.manifest.revision

pack_revision := data.ketencheck.catalogue.pack.version if not data.system.bundles.ketencheck.manifest.revision
