# METADATA
# title: Finding builder
# description: >-
#   Builds every finding from the METADATA of the rule that fires, so that a rule's name, severity and legal
#   references are written once, next to the rule, and read back here (after Regal's result.fail).
# scope: package
package ketencheck.lib.result

import data.ketencheck.lib.law

# METADATA
# title: Finding
# description: >-
#   A finding of the rule whose metadata chain is given, about one flow. Its legal references are cited as in
#   force on the evaluation date: `legal_refs` the labels (the contract), `legal_sources` each with its link.
#   The subject is what varies between findings of the rule (the surplus fields, the missing bases, the other
#   flows of an aggregate), the digest binds the flow's judged content: a waiver or baseline entry accepts
#   exactly this finding and nothing the flow later turns into. A rule whose METADATA says
#   `custom.waivable: false` can be neither. The message is data: `message_id` names the sentence and
#   `arguments` hold the ids and values it needs (lists as sorted arrays, numbers as numbers); the harness
#   renders it in the reader's language (checker/messages.py). For a report in Dutch (input.names), the rule's
#   Dutch title too: its METADATA's `custom.nl.title`, the English one where it has none.
finding(chain, flow, subject, message_id, arguments) := object.union(
	_of_rule(chain),
	{
		"flow": flow.id,
		"message_id": message_id,
		"arguments": arguments,
		"subject": subject,
		"digest": digest(flow),
	},
)

# What every finding of a rule shares: built once per rule and query (OPA evaluates a function once per query
# for the same arguments, and a rule's metadata chain is one constant), not once per finding.
_of_rule(chain) := object.union(
	{
		"rule": _rule_name(chain[0].path),
		"title": annotations.title,
		"severity": annotations.custom.severity,
		"legal_refs": [s.label | some s in sources],
		"legal_sources": sources,
		"waivable": object.get(annotations.custom, "waivable", true),
		"scope": _scope(chain[0].path),
	},
	_dutch_title(annotations),
) if {
	# The rule's own block (scope: document) covers all of its bodies; it is the first one in the chain.
	annotations := [entry.annotations | some entry in chain; entry.annotations][0]
	sources := law.sources(annotations.custom.legal_refs)
}

# An English report leaves the Dutch title out: most findings of a large run are read in one language, and every
# key is answer that opa writes and the harness reads (issue 15's cost).
_dutch_title(annotations) := {"title_nl": object.get(annotations.custom, ["nl", "title"], annotations.title)} if {
	input.names == true
}

_dutch_title(_) := {} if not input.names == true

# METADATA
# title: Finding with a fix
# description: >-
#   A finding that also carries the lawful alternative, as data: `fix_id` names the YAML template a person
#   pastes into the flow (its comments in the reader's language), `fix_arguments` the ids it puts in. Built
#   like a finding in one merge, not as a finding merged with its fix (one object fewer per finding).
finding_with_fix(chain, flow, subject, message_id, arguments, fix_id, fix_arguments) := object.union(
	_of_rule(chain),
	{
		"flow": flow.id,
		"message_id": message_id,
		"arguments": arguments,
		"subject": subject,
		"digest": digest(flow),
		"fix_id": fix_id,
		"fix_arguments": fix_arguments,
	},
)

# METADATA
# title: Digest of a flow's judged content
# description: >-
#   sha256 of the canonical JSON (keys sorted, no spaces: json.marshal) of what the rules judge: from, to,
#   document, form, fields, purpose, legal_basis and channel, the lists as sorted sets. Id, description,
#   retention, volume and dpia are left out; the rules that judge the last three name them in their subject.
#   Computed here, in the evaluation, so that the harness, a waiver file and an OPA server agree on it.
digest(flow) := concat(":", ["sha256", crypto.sha256(json.marshal(judged(flow)))])

# METADATA
# title: Judged content
# description: The part of a flow that a digest binds, in canonical form.
judged(flow) := object.union(
	object.filter(flow, ["from", "to", "document", "form", "purpose", "channel"]),
	{
		"fields": sort({f | some f in object.get(flow, "fields", [])}),
		"legal_basis": sort({b | some b in object.get(flow, "legal_basis", [])}),
	},
)

# Single-flow rules live under data.ketencheck.rules, chain rules under data.ketencheck.chain.
_scope(path) := "chain" if path[count(path) - 3] == "chain"

_scope(path) := "flow" if path[count(path) - 3] != "chain"

# Rules live at data.ketencheck.rules.<name>.deny: the name is the second-to-last path segment.
_rule_name(path) := path[count(path) - 2]
