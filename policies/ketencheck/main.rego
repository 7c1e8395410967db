# METADATA
# title: ketencheck policy pack for the vreemdelingenketen
# description: >-
#   Entry point. Every single-flow rule package under data.ketencheck.rules and every chain rule package under
#   data.ketencheck.chain contributes to one set of findings, so that all flows are evaluated in one query and
#   adding a rule never touches this router. It only routes: waivers come from lib/waivers.rego, the
#   explanation and the lawful alternatives from explain/explain.rego, the facts of each flow from
#   lib/catalogue.rego.
# scope: package
package ketencheck.main

import data.ketencheck.explain
import data.ketencheck.lib.catalogue
import data.ketencheck.lib.waivers

# METADATA
# title: Findings
# description: Every finding of every single-flow rule and every chain rule about the flows in input.flows.
# entrypoint: true
findings contains finding if {
	some name
	some finding in data.ketencheck.rules[name].deny
}

findings contains finding if {
	some name
	some finding in data.ketencheck.chain[name].deny
}

# METADATA
# title: Result
# description: >-
#   The findings, each marked with the index of the waiver that accepts it; the status of every waiver; and
#   what produced them (policy pack version, bundle revisions, OPA version), for reports. With input.explain set to a flow id,
#   also the matrix rows consulted for that flow and its minimal lawful alternatives; with input.facts true, also
#   the facts of every flow (what it carries, their categories, the form and row the matrix gives it); with
#   input.names true, also the readable names of the catalogue's ids (catalogue/labels), for a report in Dutch.
# entrypoint: true
result := _base if {
	# A check asks for none of the extras: the answer is built without merging four objects into one.
	not input.explain
	not input.facts == true
	not input.names == true
} else := object.union_n([_base, explain.explanation, _facts, _names])

_base := {
	"findings": _marked,
	"waivers": waivers.statuses(findings, _marked),
	"pack": data.ketencheck.catalogue.pack,
	"opa_version": opa.runtime().version,
	"bundles": _bundles,
	"verdicts": _verdicts,
}

_marked := waivers.marked(findings)

# Each flow's verdict, so that a decision log says it without the harness: deny on an error no waiver accepts.
# Every flow allowed, then those denied: one expression a flow, where a lookup per flow took five.
_verdicts := object.union({flow.id: "allow" | some flow in input.flows}, {id: "deny" | some id in _denying})

_denying := {finding.flow |
	some finding in _marked
	finding.severity == "error"
	not "waived" in object.keys(finding)
}

# The revision of every bundle the engine loaded (none when the pack is loaded as a directory).
_bundles := {name: b.manifest.revision | some name, b in data.system.bundles}

# Facts: only when asked for (the audit reads them), so that a check pays nothing for them.
_facts := {"facts": {flow.id: catalogue.facts(flow) | some flow in input.flows}} if input.facts == true

_facts := {} if not input.facts == true

# Names: only when asked for (a report in Dutch names ids by them), so that an English check pays nothing.
_names := {"names": object.get(data.ketencheck.catalogue, "labels", {})} if input.names == true

_names := {} if not input.names == true
