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
finding(chain, flow, message) := {
	"flow": flow.id,
	"rule": _rule_name(chain[0].path),
	"title": annotations.title,
	"severity": annotations.custom.severity,
	"message": message,
	"legal_refs": [s.label | some s in sources],
	"legal_sources": sources,
} if {
	# The rule's own block (scope: document) covers all of its bodies; it is the first one in the chain.
	annotations := [entry.annotations | some entry in chain; entry.annotations][0]
	sources := law.sources(annotations.custom.legal_refs)
}

# METADATA
# title: Finding with a fix
# description: A finding that also carries the lawful alternative, as YAML a person can paste into the flow.
finding_with_fix(chain, flow, message, fix) := object.union(finding(chain, flow, message), {"fix": fix})

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
