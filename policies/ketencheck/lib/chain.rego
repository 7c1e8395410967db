# METADATA
# title: The chain of flows checked together
# description: >-
#   What the chain rules know about the whole set of flows: which flows the single-flow rules allow (after
#   waivers), which fields of which document each partner lawfully holds, and which extracts of one document
#   reach one recipient. The chain rules live outside data.ketencheck.rules so that they can read its verdicts
#   without recursion.
# scope: package
package ketencheck.lib.chain

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.waivers

# METADATA
# title: Denied on their own
# description: >-
#   The ids of the flows with an error finding from a single-flow rule that no waiver accepts: a flow whose
#   only errors are waived is allowed, and so a lawful source.
# A complete rule, evaluated once: as a partial set, each lookup by id would re-run every rule.
denied_on_their_own := {finding.flow |
	some name
	some finding in data.ketencheck.rules[name].deny
	finding.severity == "error"
} if {
	# Without waivers (nearly every check, and every decision) no finding is accepted: no lookup per finding.
	count(waivers.listed) == 0
} else := {finding.flow |
	some name
	some finding in data.ketencheck.rules[name].deny
	finding.severity == "error"
	count(waivers.accepting(finding)) == 0
}

# METADATA
# title: Allowed on their own
# description: The flows that no single-flow rule denies (after waivers), by id.
allowed_on_their_own := {flow.id: flow |
	some flow in input.flows
	not flow.id in denied_on_their_own
}

# Who holds what, per document and field: the originator of a document holds its fields, and an allowed flow
# passes the fields of its document that it carries from its sender to its recipient. A field of the same name
# in another document is another datum (BMA's own medische_gegevens are not those of IND's leeftijdsonderzoek).
# Reachability over "partner|document|field" nodes makes this transitive, so a partner that forwards what it
# never lawfully held passes on nothing, and a flow denied only for provenance still passes on what its sender
# did hold.
_origins contains _node(document.originator, id, field) if {
	some id, document in catalogue.documents
	some field in document.fields
}

# Only a partner that forwards a document it did not originate needs its holdings of that document known, so
# only flows of that document into that partner are edges: a flow from an originator starts at an origin node
# anyway. This keeps the graph as small as the chain's forwarding, whatever the number of flows.
_forwarders := {_holder(flow.from, flow.document) | some flow in from_elsewhere}

# METADATA
# title: Flows from elsewhere
# description: >-
#   The flows whose sender is not the originator of their document, in input order, found in one pass: only
#   these can lack a lawful source (provenance), and only their senders need their holdings known.
from_elsewhere := [flow |
	some flow in input.flows
	flow.from != catalogue.documents[flow.document].originator
]

# Partner -> the documents it forwards: a flow into a partner that forwards nothing is looked up, not joined.
_forwarding := {partner: {flow.document | some flow in from_elsewhere; flow.from == partner} |
	some partner in {flow.from | some flow in from_elsewhere}
}

# The flows into a forwarder, found by OPA's comprehension index on recipient and document rather than a
# lookup per flow (most sets have few forwarders).
_into_forwarders := [flow |
	some partner, documents in _forwarding
	some document in documents
	inbound := [f | some f in input.flows; f.to == partner; f.document == document]
	some flow in inbound
	not flow.id in denied_on_their_own
]

_edges contains [_node(flow.from, flow.document, field), _node(flow.to, flow.document, field)] if {
	some flow in _into_forwarders
	some field in catalogue.carried(flow)
}

# graph.reachable reports only nodes that are keys of the graph, so every node is one, leaves included.
_graph[node] := {to | some [from, to] in _edges; from == node} if {
	some node in _nodes
}

_nodes := _origins | {node | some edge in _edges; some node in edge}

_held := graph.reachable(_graph, _origins)

_node(partner, document, field) := concat("|", [partner, document, field])

_holder(partner, document) := concat("|", [partner, document])

# METADATA
# title: Holds
# description: >-
#   True when the partner originates the document, or received this field of this document through allowed
#   flows of the set, transitively from the originator.
holds(partner, document, field) if _node(partner, document, field) in _held

# METADATA
# title: Lawfully sourced
# description: >-
#   True when the flow's sender holds every field of the document it carries (the originator always does), or
#   a waiver accepts the flow's provenance finding.
sourced(flow) if {
	every field in catalogue.carried(flow) {
		holds(flow.from, flow.document, field)
	}
}

sourced(flow) if waivers.provenance_accepted(flow)

# METADATA
# title: Inbound flows
# description: >-
#   The allowed flows of this set that bring the document to a partner, for a message: {"flows": [{id, from,
#   to, document}], "more": n}, by id; at most five flows and a count of the rest, so that a message stays
#   readable however many flows there are. Allowed means allowed by the single-flow rules (after waivers) and
#   lawfully sourced. Defined for the partners that forward the document (the only ones provenance asks
#   about); no flows when none is allowed.
inbound(partner, document) := _inbound_flows[_holder(partner, document)]

_inbound_flows[holder] := {"flows": named, "more": count(described) - count(named)} if {
	some holder, described in _inbound
	named := array.slice(described, 0, 5)
}

# Built once: each provenance finding reads it instead of scanning all flows.
_inbound_pairs := [[_holder(flow.to, flow.document), flow.id, object.filter(flow, ["id", "from", "to", "document"])] |
	some flow in _into_forwarders
	sourced(flow)
]

# Flow ids are unique, so sorting by id orders the flows.
_inbound[holder] := [described | some [_, _, described] in sort([pair | some pair in _inbound_pairs; pair[0] == holder])] if {
	some holder in _forwarders
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
	together := {field | some id in members; some field in catalogue.carried(allowed_extracts[id])}
}

_extracts := [flow |
	some flow in input.flows
	flow.form == "extract"
	not flow.id in denied_on_their_own
]

# METADATA
# title: Allowed extracts
# description: >-
#   The extracts among the flows allowed on their own, by id: what the aggregation rules look a group's members
#   up in (the whole allowed_on_their_own is built only for whoever asks for it).
allowed_extracts := {flow.id: flow | some flow in _extracts}

# Each key once: iterating the flows instead would rebuild (and compare) a group's set once per member.
_group_keys := {_group_key(flow) | some flow in _extracts}

# METADATA
# title: The other flows of a group
# description: >-
#   The members of a group other than the given flow, for a message: {"flows": ids, "more": n}, at most five
#   ids, sorted, and a count of the rest, taken from the group's first six ids so that each member costs the
#   same however large the group.
others(group, id) := {"flows": sort(named), "more": 0} if {
	count(group.members) <= 6
	named := group.members - {id}
}

others(group, id) := {"flows": named, "more": (count(group.members) - 1) - count(named)} if {
	count(group.members) > 6
	named := array.slice([m | some m in group.first; m != id], 0, 5)
}

_group_key(flow) := concat("|", [flow.to, flow.document])

# METADATA
# title: Admitted by some row
# description: True when one row for the recipient and document (any purpose) admits all the given fields.
admitted_by_some_row(recipient, document, wanted) if {
	some purpose in catalogue.purposes_for(recipient, document)
	row := catalogue.row_for(recipient, document, purpose)
	count(wanted - catalogue.admitted(row, document)) == 0
}
