# METADATA
# title: Waivers
# description: >-
#   Which waivers apply on the day the flows are judged. The router marks waived findings with them, and the
#   chain counts a flow whose only errors are waived as allowed, so both read the same answer.
# scope: package
package ketencheck.lib.waivers

# METADATA
# title: Waivers of the run
# description: input.waivers, a list of {flow, rule, justification, approver, dpia, expires}; none when absent.
listed := object.get(input, "waivers", [])

# METADATA
# title: The day of judgement
# description: >-
#   The day to judge expiry by comes with the input, so that a report can be reproduced; the clock is the
#   fallback.
today := input.today

today := time.format([time.now_ns(), "UTC", "2006-01-02"]) if not input.today

# METADATA
# title: Waiver key
# description: The key a waiver and a finding share, "flow|rule".
key(flow, rule) := concat("|", [flow, rule])

# METADATA
# title: Active waivers
# description: >-
#   The index of the waiver that applies, by "flow|rule": a waiver applies through the day it expires. Built
#   once per evaluation, so that each lookup is constant time.
active[key(waiver.flow, waiver.rule)] := i if {
	some i, waiver in listed
	waiver.expires >= today
}
