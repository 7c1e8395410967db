# METADATA
# title: ketencheck policy pack for the vreemdelingenketen
# description: >-
#   Entry point. Every rule package under data.ketencheck.rules contributes to one set of findings, so that
#   all flows are evaluated in one query and adding a rule never touches this router.
# scope: package
package ketencheck.main

# METADATA
# title: Findings
# description: Every finding of every rule about every flow in input.flows.
# entrypoint: true
findings contains finding if {
	some name
	some finding in data.ketencheck.rules[name].deny
}

# METADATA
# title: Result
# description: The findings with what produced them (policy pack version, OPA version), for reports.
# entrypoint: true
result := {
	"findings": findings,
	"pack": data.ketencheck.catalogue.pack,
	"opa_version": opa.runtime().version,
}
