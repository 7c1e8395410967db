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
#   nl:
#     title: Ontvanger heeft het document niet nodig
#     description: >-
#       Geen matrixrij laat de ontvanger dit document ontvangen, voor geen enkel doel. Een bestuursorgaan krijgt uit de
#       vreemdelingenadministratie alleen wat het nodig heeft voor zijn taak. Zonder matrixrij mag het document in geen
#       enkele vorm worden verstrekt. Een ontvanger die geen bestuursorgaan is, kan alleen iets ontvangen als een
#       ministeriële regeling hem aanwijst (artikel 107 lid 8 Vreemdelingenwet 2000). De bevinding noemt dan lid 8 in
#       plaats van lid 4.
#   legal_refs:
#     - avg_5_1_c
#     - vw_107_4
deny contains finding if {
	some flow in _no_row
	not catalogue.partners[flow.to].bestuursorgaan == false
	[variant, receivable] := _receivable(flow.to)
	arguments := object.union({"recipient": flow.to, "document": flow.document}, receivable)
	finding := result.finding(rego.metadata.chain(), flow, {}, _bestuursorgaan[variant], arguments)
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
#   nl:
#     title: Ontvanger heeft het document niet nodig
#     description: >-
#       De ontvanger is geen bestuursorgaan en geen matrixrij laat hem dit document ontvangen. Artikel 107 lid 4
#       Vreemdelingenwet 2000 staat verstrekking alleen toe aan bestuursorganen. Een organisatie die geen bestuursorgaan
#       is, kan uit de vreemdelingenadministratie alleen iets ontvangen als een ministeriële regeling haar aanwijst
#       (artikel 107 lid 8). Ketencheck kent zo'n aanwijzing niet.
#   legal_refs:
#     - avg_5_1_c
#     - vw_107_designated_organisations
deny contains finding if {
	some flow in _no_row
	catalogue.partners[flow.to].bestuursorgaan == false
	[variant, receivable] := _receivable(flow.to)
	[designation, law_cited] := _designation
	arguments := object.union_n([{"recipient": flow.to, "document": flow.document}, law_cited, receivable])
	finding := result.finding(rego.metadata.chain(), flow, {}, _not_bestuursorgaan[designation][variant], arguments)
}

# One message per sentence: what the law lets the recipient receive at all, and what the matrix does.
_bestuursorgaan := {"receivable": "no_need_to_know.receivable", "no_rows": "no_need_to_know.no_rows"}

_not_bestuursorgaan := {
	"designation": {
		"receivable": "no_need_to_know.not_bestuursorgaan.designation.receivable",
		"no_rows": "no_need_to_know.not_bestuursorgaan.designation.no_rows",
	},
	"bestuursorganen_only": {
		"receivable": "no_need_to_know.not_bestuursorgaan.bestuursorganen_only.receivable",
		"no_rows": "no_need_to_know.not_bestuursorgaan.bestuursorganen_only.no_rows",
	},
}

# Lid 8 (designation by ministerial regulation) exists from 1 Sept 2026; on an earlier evaluation date the law
# catalogue cites lid 4, which provided only to bestuursorganen, and the sentence must say that instead.
# Which sentence (_not_bestuursorgaan) and the law it cites, an argument: the provision with its label in English
# and (where the law catalogue has it) Dutch.
_designation := ["designation", {"law": _cited(source)}] if {
	source := law.source("vw_107_designated_organisations")
	source.label != law.source("vw_107_4").label
}

_designation := ["bestuursorganen_only", {"law": _cited(source)}] if {
	source := law.source("vw_107_designated_organisations")
	source.label == law.source("vw_107_4").label
}

_cited(source) := object.filter(source, ["label", "label_nl", "verified"])

# The flows without a row, found once for both bodies.
_no_row := [flow |
	some flow in catalogue.suspects

	# Cheap first: a flow with its row (looked up once for all rules) has a purpose for its recipient and document.
	not catalogue.row(flow)
	catalogue.partners[flow.to]
	catalogue.documents[flow.document]
	not catalogue.lawful_purposes(flow)
]

# What the recipient may receive instead: the documents of its rows (.receivable), or none at all (.no_rows).
_receivable(recipient) := ["receivable", {"documents": sort(docs)}] if {
	docs := catalogue.receivable(recipient)
	count(docs) > 0
}

_receivable(recipient) := ["no_rows", {}] if {
	count(catalogue.receivable(recipient)) == 0
}
