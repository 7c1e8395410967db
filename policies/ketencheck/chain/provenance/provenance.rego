package ketencheck.chain.provenance

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.chain
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: No lawful source
# description: >-
#   The sender is not the document's originator and did not receive, through allowed flows in the same set,
#   every field of that document it forwards. A partner can only pass on what it lawfully holds: forwarding
#   data it never lawfully received is processing without a basis, whatever the recipient's own row says. A
#   field of the same name in another document the sender holds is another datum and no source.
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
	some flow in chain.from_elsewhere
	catalogue.partners[flow.from]
	originator := catalogue.documents[flow.document].originator
	flow.from != originator
	carried := catalogue.carried(flow)
	missing := {field | some field in carried; not chain.holds(flow.from, flow.document, field)}
	count(missing) > 0
	message := sprintf(
		"%s is not the originator of %s (%s is) and has no lawful source in this set for %s; %s",
		[flow.from, flow.document, originator, result.list(missing), _inbound(flow.from, flow.document)],
	)
	fix := _fix(flow, carried - missing, originator)
	finding := result.finding_with_fix(rego.metadata.chain(), flow, {"fields": sort(missing)}, message, fix)
}

_inbound(partner, document) := sprintf("allowed flows of %s into %s: %s", [document, partner, flows]) if {
	flows := chain.inbound(partner, document)
	flows != ""
}

_inbound(partner, document) := sprintf("no allowed flow in this set delivers %s to %s", [document, partner]) if {
	chain.inbound(partner, document) == ""
}

# Keep what the sender lawfully holds of this document, in the flow's own order (never a field it does not
# hold); with nothing left, the originator must send it.
_fix(flow, held, _) := sprintf("form: extract\nfields: %s", [result.yaml_list(kept)]) if {
	kept := [field | some field in _ordered(flow); field in held]
	count(kept) > 0
}

_fix(_, held, originator) := sprintf("from: %s  # the originator sends it, or a lawful flow into the sender comes first", [originator]) if {
	count(held) == 0
}

_ordered(flow) := flow.fields if flow.form == "extract"

_ordered(flow) := catalogue.documents[flow.document].fields if flow.form == "integral"
