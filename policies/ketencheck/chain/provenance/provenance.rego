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
#   nl:
#     title: Geen rechtmatige bron
#     description: >-
#       De verstrekker heeft het document niet zelf opgesteld. Hij heeft ook niet elk veld dat hij doorgeeft ontvangen
#       via toegestane verstrekkingen in dezelfde set. Een partner kan alleen doorgeven wat hij rechtmatig heeft.
#       Gegevens doorgeven die hij nooit rechtmatig heeft ontvangen, is verwerken zonder grondslag, wat de matrixrij van
#       de ontvanger ook zegt. Een veld met dezelfde naam in een ander document van de verstrekker is een ander gegeven
#       en geen bron.
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
	[message_id, inbound] := _inbound(flow.from, flow.document)
	arguments := {"sender": flow.from, "document": flow.document, "originator": originator, "fields": sort(missing)}
	[fix_id, fix_arguments] := _fix(flow, carried - missing, originator)
	finding := result.finding_with_fix(
		rego.metadata.chain(), flow, {"fields": sort(missing)},
		message_id, object.union(arguments, inbound), fix_id, fix_arguments,
	)
}

_inbound(partner, document) := ["provenance.inbound", {"inbound": inbound}] if {
	inbound := chain.inbound(partner, document)
	count(inbound.flows) > 0
}

_inbound(partner, document) := ["provenance.no_inbound", {}] if {
	count(chain.inbound(partner, document).flows) == 0
}

# Keep what the sender lawfully holds of this document, in the flow's own order (never a field it does not
# hold); with nothing left, the originator must send it.
_fix(flow, held, _) := ["extract", {"fields": kept}] if {
	kept := [field | some field in _ordered(flow); field in held]
	count(kept) > 0
}

_fix(_, held, originator) := ["from.originator", {"originator": originator}] if {
	count(held) == 0
}

_ordered(flow) := flow.fields if flow.form == "extract"

_ordered(flow) := catalogue.documents[flow.document].fields if flow.form == "integral"
