# The peer a user would pick instead: conftest over the same flow files, with the same single-flow rules.
# conftest evaluates each file on its own (input = the file), so the chain rules, which need the whole set,
# cannot be ported; everything else is the pack's own Rego, reached through conftest's `main` namespace.
package main

deny contains message if {
	some name
	some finding in data.ketencheck.rules[name].deny
	finding.severity == "error"
	message := sprintf("%s: %s: %s", [finding.flow, finding.rule, finding.message])
}

warn contains message if {
	some name
	some finding in data.ketencheck.rules[name].deny
	finding.severity == "warning"
	message := sprintf("%s: %s: %s", [finding.flow, finding.rule, finding.message])
}
