# METADATA
# title: The chain of flows checked together
# description: >-
#   What the chain rules know about the whole set of flows: which flows the single-flow rules allow, which
#   fields each partner lawfully holds, and which extracts of one document reach one recipient. The chain
#   rules live outside data.ketencheck.rules so that they can read its verdicts without recursion.
# scope: package
package ketencheck.lib.chain

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# title: Denied on their own
# description: The ids of the flows with an error finding from a single-flow rule.
# A complete rule, evaluated once: as a partial set, each lookup by id would re-run every rule.
denied_on_their_own := {finding.flow |
	some name
	some finding in data.ketencheck.rules[name].deny
	finding.severity == "error"
}

# METADATA
# title: Allowed on their own
# description: The flows that no single-flow rule denies, by id.
allowed_on_their_own := {flow.id: flow |
	some flow in input.flows
	not flow.id in denied_on_their_own
}

# Who holds what, field by field: the originator of a document holds its fields, and an allowed flow passes
# the fields it carries from its sender to its recipient. Reachability over "partner|field" nodes makes this
# transitive, so a partner that forwards what it never lawfully held passes on nothing.
_origins contains _node(document.originator, field) if {
	some document in catalogue.documents
	some field in document.fields
}

# Only a partner that forwards documents it did not originate needs its holdings known, so only flows into such
# partners are edges: a flow from an originator starts at an origin node anyway. This keeps the graph as small
# as the chain's forwarding, whatever the number of flows.
_forwarders := {flow.from |
	some flow in input.flows
	flow.from != catalogue.documents[flow.document].originator
}

_edges contains [_node(flow.from, field), _node(flow.to, field)] if {
	some flow in allowed_on_their_own
	flow.to in _forwarders
	some field in catalogue.carried(flow)
}

# graph.reachable reports only nodes that are keys of the graph, so every node is one, leaves included.
_graph[node] := {to | some [from, to] in _edges; from == node} if {
	some node in _nodes
}

_nodes := _origins | {node | some edge in _edges; some node in edge}

_held := graph.reachable(_graph, _origins)

_node(partner, field) := concat("|", [partner, field])

# METADATA
# title: Holds
# description: True when the partner originates a document with the field or received it through an allowed flow.
holds(partner, field) if _node(partner, field) in _held

# METADATA
# title: Inbound flows
# description: >-
#   The allowed flows of this set into a partner, as "id (sender -> partner: document)", sorted; at most five by
#   name and a count of the rest, so that a message stays readable however many flows there are. Defined for
#   the partners that forward (the only ones provenance asks about); empty when nothing flows into one.
inbound(partner) := _inbound_text[partner]

_inbound_text[partner] := text if {
	some partner, described in _inbound
	named := array.slice(described, 0, 5)
	text := _with_rest(concat(", ", named), count(described) - count(named))
}

_with_rest(text, 0) := text

_with_rest(text, rest) := sprintf("%s and %d more", [text, rest]) if rest > 0

# Built once for every partner that forwards: each provenance finding reads it instead of scanning all flows.
_inbound[partner] := sort([sprintf("%s (%s -> %s: %s)", [flow.id, flow.from, flow.to, flow.document]) |
	some flow in allowed_on_their_own
	flow.to == partner
]) if {
	some partner in _forwarders
}

# METADATA
# title: Extract groups
# description: >-
#   The extracts of one document to one recipient among the flows allowed on their own, by
#   "recipient|document", where there are at least two (one extract on its own is its row's business):
#   the member ids and every field they carry together.
extract_groups[key] := {"members": members, "fields": together, "first": array.slice(sort(members), 0, 6)} if {
	some key in _group_keys
	members := {flow.id | some flow in _extracts; _group_key(flow) == key}
	count(members) > 1
	together := {field | some id in members; some field in catalogue.carried(allowed_on_their_own[id])}
}

_extracts := [flow | some flow in allowed_on_their_own; flow.form == "extract"]

# Each key once: iterating the flows instead would rebuild (and compare) a group's set once per member.
_group_keys := {_group_key(flow) | some flow in _extracts}

# METADATA
# title: The other flows of a group
# description: >-
#   The members of a group other than the given flow, for a message: at most five by name and a count of the
#   rest, taken from the group's first six ids so that each member costs the same however large the group.
others(group, id) := result.list(named) if {
	count(group.members) <= 6
	named := group.members - {id}
}

others(group, id) := sprintf("%s and %d more", [result.list(named), (count(group.members) - 1) - count(named)]) if {
	count(group.members) > 6
	named := array.slice([m | some m in group.first; m != id], 0, 5)
}

_group_key(flow) := concat("|", [flow.to, flow.document])

# METADATA
# title: Admitted by some row
# description: True when one row for the recipient and document (any purpose) admits all the given fields.
admitted_by_some_row(recipient, document, wanted) if {
	some purpose in catalogue.purposes_for[concat("|", [recipient, document, ""])]
	row := catalogue.row_index[concat("|", [recipient, document, purpose])]
	count(wanted - catalogue.admitted(row, document)) == 0
}
