# METADATA
# title: API authorization for the ketencheck decision point
# description: >-
#   With --authentication=token --authorization=basic, OPA asks this policy about every API call. Only a
#   client with the bearer token from the server's KETENCHECK_OPA_TOKEN environment variable may query; the
#   health endpoint stays open for the orchestrator. No token configured means no access at all.
package system.authz

default allow := false

allow if {
	token := opa.runtime().env.KETENCHECK_OPA_TOKEN
	token != ""
	input.identity == token
}

allow if input.path == ["health"]
