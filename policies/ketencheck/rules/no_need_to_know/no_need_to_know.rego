package ketencheck.rules.no_need_to_know

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.law
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: No need to know
# description: >-
#   No matrix row lets the recipient receive this document for any purpose. A bestuursorgaan receives from
#   the vreemdelingenadministratie only what it needs for its task; without a need-to-know row the
#   document may not flow in any form. A recipient that is not a bestuursorgaan can receive only where a
#   ministerial regulation designates it (Vw 2000 art. 107(8)); that finding cites lid 8 instead of lid 4.
# related_resources:
#   - ref: https://wetten.overheid.nl/BWBR0011823/2026-09-01#Hoofdstuk7_Artikel107
#     description: Vw 2000 art. 107(4)
# custom:
#   severity: error
#   legal_refs:
#     - avg_5_1_c
#     - vw_107_4
deny contains finding if {
	some flow in _no_row
	not catalogue.partners[flow.to].bestuursorgaan == false
	message := sprintf(
		"%s may not receive %s in any form: no need-to-know row exists for this recipient and document (%s)",
		[flow.to, flow.document, _receivable(flow.to)],
	)
	finding := result.finding(rego.metadata.chain(), flow, {}, message)
}

# The recipient is not a bestuursorgaan (VWN, GZA, ...): lid 4 does not apply to it at all, and lid 8 allows
# provision only to organisations a ministerial regulation designates. This body has its own block, so that
# its finding cites lid 8; rego.metadata.chain() puts a rule's own block before the document's.
# METADATA
# scope: rule
# title: No need to know
# description: >-
#   The recipient is not a bestuursorgaan and no matrix row lets it receive this document. Vw 2000 art. 107(4)
#   provides only to bestuursorganen; an organisation that is not one can receive from the
#   vreemdelingenadministratie only if a ministerial regulation designates it (art. 107(8)), and the pack knows
#   no such designation.
# related_resources:
#   - ref: https://wetten.overheid.nl/BWBR0011823/2026-09-01#Hoofdstuk8_Paragraaf1_Artikel107
#     description: Vw 2000 art. 107(8)
# custom:
#   severity: error
#   legal_refs:
#     - avg_5_1_c
#     - vw_107_designated_organisations
deny contains finding if {
	some flow in _no_row
	catalogue.partners[flow.to].bestuursorgaan == false
	message := sprintf(
		"%s may not receive %s in any form: %s is not a bestuursorgaan, %s (%s)",
		[flow.to, flow.document, flow.to, _designation, _receivable(flow.to)],
	)
	finding := result.finding(rego.metadata.chain(), flow, {}, message)
}

# Lid 8 (designation by ministerial regulation) exists from 1 Sept 2026; on an earlier evaluation date the law
# catalogue cites lid 4, which provided only to bestuursorganen, and the sentence must say that instead.
_designation := sprintf(
	concat("", [
		"so it can receive from the vreemdelingenadministratie only if a ministerial regulation designates it ",
		"(%s), and this pack knows no such designation",
	]),
	[label],
) if {
	label := law.source("vw_107_designated_organisations").label
	label != law.source("vw_107_4").label
}

_designation := sprintf("and the vreemdelingenadministratie provides only to bestuursorganen (%s)", [label]) if {
	label := law.source("vw_107_designated_organisations").label
	label == law.source("vw_107_4").label
}

# The flows without a row, found once for both bodies.
_no_row := [flow |
	some flow in catalogue.suspects
	catalogue.partners[flow.to]
	catalogue.documents[flow.document]
	not catalogue.lawful_purposes(flow)
]

_receivable(recipient) := sprintf("%s may receive: %s", [recipient, result.list(docs)]) if {
	docs := catalogue.receivable(recipient)
	count(docs) > 0
}

_receivable(recipient) := sprintf("%s has no need-to-know row at all", [recipient]) if {
	count(catalogue.receivable(recipient)) == 0
}
