package ketencheck.chain.provenance

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.chain
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: No lawful source
# description: >-
#   The sender is not the document's originator and did not receive, through an allowed flow in the same set,
#   every field it forwards. A partner can only pass on what it lawfully holds: forwarding data it never
#   lawfully received is processing without a basis, whatever the recipient's own row says.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj#d1e1807-1-1
#     description: AVG art. 5(1)(a), 5(1)(b)
#   - ref: https://wetten.overheid.nl/BWBR0011823/2026-09-01#Hoofdstuk7_Artikel107
#     description: Vw 2000 art. 107(4)
# custom:
#   severity: error
#   legal_refs:
#     - avg_5_1_a
#     - avg_5_1_b
#     - avg_6_1
#     - vw_107_4
deny contains finding if {
	some flow in input.flows
	catalogue.partners[flow.from]
	originator := catalogue.documents[flow.document].originator
	flow.from != originator
	carried := catalogue.carried(flow)
	missing := {field | some field in carried; not chain.holds(flow.from, field)}
	count(missing) > 0
	message := sprintf(
		"%s is not the originator of %s (%s is) and has no lawful source in this set for %s; %s",
		[flow.from, flow.document, originator, result.list(missing), _inbound(flow.from)],
	)
	fix := _fix(flow, carried - missing, originator)
	finding := result.finding_with_fix(rego.metadata.chain(), flow, {"fields": sort(missing)}, message, fix)
}

_inbound(partner) := sprintf("allowed flows into %s: %s", [partner, flows]) if {
	flows := chain.inbound(partner)
	flows != ""
}

_inbound(partner) := sprintf("no allowed flow in this set delivers anything to %s", [partner]) if {
	chain.inbound(partner) == ""
}

# Keep what the sender lawfully holds, in the flow's own order; with nothing left, the originator must send it.
_fix(flow, held, _) := sprintf("form: extract\nfields: %s", [result.yaml_list(kept)]) if {
	kept := [field | some field in _ordered(flow); field in held]
	count(kept) > 0
}

_fix(_, held, originator) := sprintf("from: %s  # the originator sends it, or a lawful flow into the sender comes first", [originator]) if {
	count(held) == 0
}

_ordered(flow) := flow.fields if flow.form == "extract"

_ordered(flow) := catalogue.documents[flow.document].fields if flow.form == "integral"
