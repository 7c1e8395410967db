# METADATA
# title: Waivers
# description: >-
#   Which waiver accepts which finding on the day the flows are judged: the findings marked with the waiver
#   that accepts them and the status of every waiver, which the router reports, and the acceptance the chain
#   asks about to count a flow whose only errors are waived as allowed. Both read this package, so they cannot
#   disagree.
# scope: package
package ketencheck.lib.waivers

import data.ketencheck.lib.law
import data.ketencheck.lib.result

# METADATA
# title: Waivers of the run
# description: >-
#   input.waivers, a list of {version, flow, rule, subject, digest, justification, approver, dpia, expires};
#   none when absent. A waiver accepts one finding, not a rule: in version 2 it names the finding's subject and
#   the digest of the flow's judged content (lib/result.rego), so that once the flow or the finding changes it
#   no longer applies (stale). A version 1 waiver names only flow and rule; it still applies, reported as
#   unbound. No waiver accepts a finding of a rule whose METADATA says custom.waivable: false (refused). A
#   waiver applies through the day it expires.
listed := object.get(input, "waivers", [])

# METADATA
# title: The day of judgement
# description: The evaluation date, the one citations are resolved for (lib/law.rego), so a report can be reproduced.
today := law.today

# METADATA
# title: Waiver key
# description: The key a waiver and a finding share, "flow|rule".
key(flow, rule) := concat("|", [flow, rule])

# The unexpired waivers by flow and rule, built once: a finding looks up only its own candidates.
_candidates[key(waiver.flow, waiver.rule)] contains i if {
	some i, waiver in listed
	waiver.expires >= today
}

# METADATA
# title: Accepting waivers
# description: The indexes of the unexpired waivers that accept this finding; empty when none does.
accepting(finding) := {i |
	count(listed) > 0
	finding.waivable
	some i in object.get(_candidates, key(finding.flow, finding.rule), set())
	_binds(listed[i], finding.subject, finding.digest)
}

# Version 1 predates the binding: it cannot say more than flow and rule.
_binds(waiver, _, _) if object.get(waiver, "version", 1) == 1

_binds(waiver, subject, digest) if {
	waiver.version == 2
	waiver.digest == digest
	waiver.subject == subject
}

# METADATA
# title: Provenance accepted
# description: >-
#   True when an unexpired waiver accepts the flow's provenance finding. The chain asks this while it computes
#   provenance, so it cannot know the finding's subject without recursion: a version 2 waiver is matched by the
#   flow's digest here, and by subject and digest when the router marks the finding.
provenance_accepted(flow) if {
	some i in object.get(_candidates, key(flow.id, "provenance"), set())
	_binds_flow(listed[i], flow)
}

_binds_flow(waiver, _) if object.get(waiver, "version", 1) == 1

_binds_flow(waiver, flow) if {
	waiver.version == 2
	waiver.digest == result.digest(flow)
}

# METADATA
# title: Findings marked with their waiver
# description: The findings, each one that a waiver accepts marked "waived" with the lowest index of those waivers.
marked(findings) := [_waive(finding) | some finding in findings] if count(listed) > 0

# Without waivers (nearly every check, and every decision) nothing is marked: no lookup per finding.
marked(findings) := [finding | some finding in findings] if count(listed) == 0

_waive(finding) := object.union(finding, {"waived": min(indexes)}) if {
	indexes := accepting(finding)
	count(indexes) > 0
}

_waive(finding) := finding if count(accepting(finding)) == 0

# METADATA
# title: Status of every waiver
# description: >-
#   [{index, status}] for every waiver of the run, given the findings and the same findings marked: expired,
#   refused (its finding cannot be waived), applied (version 2) or unbound (version 1) when it accepts a
#   finding, stale when the flow still has a finding of the rule but not the accepted one, unmatched when it
#   has none.
statuses(_, _) := [] if count(listed) == 0

statuses(findings, marked_findings) := [{"index": i, "status": _status(i, waiver, found)} |
	some i, waiver in listed
] if {
	count(listed) > 0
	found := {
		"applied": {finding.waived | some finding in marked_findings; "waived" in object.keys(finding)},
		"keys": {key(finding.flow, finding.rule) | some finding in findings},
		"refused": {key(finding.flow, finding.rule) | some finding in findings; not finding.waivable},
	}
}

_status(_, waiver, _) := "expired" if waiver.expires < today

_status(_, waiver, found) := "refused" if {
	waiver.expires >= today
	key(waiver.flow, waiver.rule) in found.refused
}

_status(i, waiver, found) := "applied" if {
	i in found.applied
	waiver.version == 2
}

_status(i, waiver, found) := "unbound" if {
	i in found.applied
	object.get(waiver, "version", 1) == 1
}

# The flow still has a finding of the rule, but not the one that was accepted: the flow or the finding changed.
_status(i, waiver, found) := "stale" if {
	waiver.expires >= today
	not i in found.applied
	key(waiver.flow, waiver.rule) in found.keys
	not key(waiver.flow, waiver.rule) in found.refused
}

_status(_, waiver, found) := "unmatched" if {
	waiver.expires >= today
	not key(waiver.flow, waiver.rule) in found.keys
}
