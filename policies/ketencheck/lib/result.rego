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
#   `custom.waivable: false` can be neither.
finding(chain, flow, subject, message) := {
	"flow": flow.id,
	"rule": _rule_name(chain[0].path),
	"title": annotations.title,
	"severity": annotations.custom.severity,
	"message": message,
	"legal_refs": [s.label | some s in sources],
	"legal_sources": sources,
	"subject": subject,
	"digest": digest(flow),
	"waivable": object.get(annotations.custom, "waivable", true),
	"scope": _scope(chain[0].path),
} if {
	# The rule's own block (scope: document) covers all of its bodies; it is the first one in the chain.
	annotations := [entry.annotations | some entry in chain; entry.annotations][0]
	sources := law.sources(annotations.custom.legal_refs)
}

# METADATA
# title: Finding with a fix
# description: A finding that also carries the lawful alternative, as YAML a person can paste into the flow.
finding_with_fix(chain, flow, subject, message, fix) := object.union(finding(chain, flow, subject, message), {"fix": fix})

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

# METADATA
# title: Readable list
# description: A set or array of ids as "a, b, c", sorted, for messages.
list(ids) := concat(", ", sort(ids))

# METADATA
# title: YAML list
# description: >-
#   An array of ids as a YAML flow sequence "[a, b, c]", order kept. An item that is not a plain id is written
#   as a double-quoted (JSON) string, so that an item from a flow file cannot break the fix's lines: a newline
#   in it stays the two characters \n, and a code fence or a heading stays inside the quotes.
yaml_list(ids) := sprintf("[%s]", [concat(", ", [_yaml_item(id) | some id in ids])])

_yaml_item(id) := id if regex.match(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`, id)

_yaml_item(id) := json.marshal(id) if not regex.match(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`, id)

# METADATA
# title: Upper-bound note
# description: >-
#   The YAML comment a fix puts after a field list that is every field the row admits: the most the row allows,
#   not what the task needs (issue 16, item 9).
upper_bound_note := "# at most these fields; keep only what the task needs"
