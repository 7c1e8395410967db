package ketencheck.rules.no_need_to_know

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: No need to know
# description: >-
#   No matrix row lets the recipient receive this document for any purpose. A bestuursorgaan receives from
#   the vreemdelingenadministratie only what it needs for its task; without a need-to-know row the
#   document may not flow in any form.
# related_resources:
#   - ref: https://wetten.overheid.nl/BWBR0011823/2026-09-01#Hoofdstuk7_Artikel107
#     description: Vw 2000 art. 107(4)
# custom:
#   severity: error
#   legal_refs:
#     - avg_5_1_c
#     - vw_107_4
deny contains finding if {
	some flow in input.flows
	catalogue.partners[flow.to]
	catalogue.documents[flow.document]
	not catalogue.lawful_purposes(flow)
	message := sprintf(
		"%s may not receive %s in any form: no need-to-know row exists for this recipient and document (%s)",
		[flow.to, flow.document, _receivable(flow.to)],
	)
	finding := result.finding(rego.metadata.chain(), flow, {}, message)
}

_receivable(recipient) := sprintf("%s may receive: %s", [recipient, result.list(docs)]) if {
	docs := {d |
		some row in catalogue.rows
		recipient in row.recipients
		some d in catalogue.row_documents(row)
	}
	count(docs) > 0
}

_receivable(recipient) := sprintf("%s has no need-to-know row at all", [recipient]) if {
	not _has_row(recipient)
}

_has_row(recipient) if {
	some row in catalogue.rows
	recipient in row.recipients
}
