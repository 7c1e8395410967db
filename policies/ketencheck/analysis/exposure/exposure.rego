# METADATA
# title: Exposure, what each partner can end up holding under the pack
# description: >-
#   Over every flow the pack permits, used by any sender that lawfully holds what it forwards and over any number
#   of hops, the (document, field) pairs each partner can hold. A flow is permitted when the pack's own
#   single-flow rules allow it (lib/chain.allowed_on_their_own, after the same rules a check runs): each matrix
#   cell (recipient, document, purpose) is tried with one flow per field its row admits, citing the bases
#   lib/catalogue.required_bases says that flow needs. Holding is provenance as lib/chain defines it, per document
#   and field: the originator holds its document, and a permitted flow passes a field from a holder to its
#   recipient. The fixpoint is graph.reachable over partner|document|field nodes.
# scope: package
package ketencheck.analysis.exposure

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.chain

# METADATA
# title: Candidate flows
# description: >-
#   One extract of one field per matrix cell and admitted field, with the bases its row requires for it and the
#   row's channel. The single-flow rules read the sender only to refuse a self-flow and an unknown id, so one
#   sender stands for all: the document's originator, or another partner when the originator is the recipient.
candidates := [object.union(bare, _extra(row, bare)) |
	some key, row in catalogue.row_index
	[recipient, document, purpose] := split(key, "|")
	catalogue.partners[recipient]
	catalogue.documents[document]
	some field in catalogue.admitted(row, document)
	bare := {
		"id": concat("|", [key, field]),
		"from": _sender(recipient, document),
		"to": recipient,
		"document": document,
		"form": "extract",
		"fields": [field],
		"purpose": purpose,
		"retention": "P1D",
	}
]

_extra(row, bare) := {"legal_basis": catalogue.required_bases(row, bare), "channel": row.channel}

_extra(row, bare) := {"legal_basis": catalogue.required_bases(row, bare)} if not row.channel

_sender(recipient, document) := catalogue.documents[document].originator if {
	catalogue.documents[document].originator != recipient
}

_sender(recipient, document) := min({p | some p, _ in catalogue.partners; p != recipient}) if {
	catalogue.documents[document].originator == recipient
}

# The candidates the pack's own rules allow, judged as one set with no waivers on the catalogue's date.
_allowed := allowed if {
	allowed := chain.allowed_on_their_own with input as {"flows": candidates, "waivers": [], "today": _day}
}

_day := object.get(object.get(data.ketencheck.catalogue, "pack", {}), "catalogue_date", "2026-09-01")

# METADATA
# title: Admissions
# description: >-
#   What the pack lets a recipient receive, field by field, sorted: recipient, document, field, purpose, the
#   row, the bases a flow of that field must cite and the channel it must name ("" for none).
admissions := sort([[flow.to, flow.document, flow.fields[0], flow.purpose, row.id, flow.legal_basis, channel] |
	some flow in _allowed
	row := catalogue.row(flow)
	channel := object.get(flow, "channel", "")
])

_origins := {_node(document.originator, id, f) | some id, document in catalogue.documents; some f in document.fields}

# A pool node per document|field: every partner that may send it (its originator, and whoever may receive it)
# leads into the pool, and the pool leads to every partner that may receive it. A receiver reaches itself through
# the pool, which changes nothing: a self-flow passes nothing, but that partner already holds the field. Every
# node is a key (graph.reachable needs that). Built as whole sets in one pass: looking a partial rule up by key
# would run its body once per lookup.
_graph[node] contains _pool(pair) if {
	some node in _origins
	[_, document, field] := split(node, "|")
	pair := concat("|", [document, field])
}

_graph[_node(a[0], a[1], a[2])] contains _pool(concat("|", [a[1], a[2]])) if some a in admissions

_graph[_pool(concat("|", [a[1], a[2]]))] contains _node(a[0], a[1], a[2]) if some a in admissions

_pool(pair) := concat("|", ["*", pair])

_node(partner, document, field) := concat("|", [partner, document, field])

# METADATA
# title: Held
# description: Every partner|document|field a partner can hold, reached from the originators.
held := graph.reachable(_graph, _origins)

# METADATA
# title: Holdings
# description: What each partner can hold, as [partner, document, field], sorted.
holdings := sort([split(node, "|") | some node in held; not startswith(node, "*|")])

# METADATA
# title: Holds
# description: True when the partner can hold this field of this document under the pack.
holds(partner, document, field) if {
	partner != "*"
	_node(partner, document, field) in held
}
