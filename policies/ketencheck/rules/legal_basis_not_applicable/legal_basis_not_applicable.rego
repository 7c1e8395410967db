package ketencheck.rules.legal_basis_not_applicable

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Legal basis does not apply
# description: >-
#   The flow cites a legal basis that its matrix row does not list. A basis that does not apply does not
#   make the flow more lawful, and it misleads a reader of the register about why the data flow; the
#   controller must be able to show the real ground (accountability). A warning: it denies only under
#   --fail-on warning.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: AVG art. 5(2)
# custom:
#   severity: warning
#   nl:
#     title: Grondslag geldt niet
#     description: >-
#       De verstrekking noemt een grondslag die niet in haar matrixrij staat. Een grondslag die niet geldt, maakt de
#       verstrekking niet rechtmatiger. Wie het verwerkingsregister leest, krijgt zo een verkeerd beeld van de reden van
#       de verstrekking. De verwerkingsverantwoordelijke moet de echte grondslag kunnen laten zien
#       (verantwoordingsplicht). Dit is een waarschuwing: de verstrekking wordt alleen geweigerd met --fail-on warning.
#   legal_refs:
#     - avg_5_2
deny contains finding if {
	some flow in catalogue.suspects
	row := catalogue.row(flow)
	surplus := {b | some b in (catalogue.cited(flow) - catalogue.row_bases(row)); catalogue.legal_bases[b]}
	count(surplus) > 0
	arguments := {
		"flow": flow.id, "bases": sort(surplus), "document": flow.document, "recipient": flow.to,
		"purpose": flow.purpose, "listed": sort(row.bases),
	}
	finding := result.finding_with_fix(
		rego.metadata.chain(), flow, {"bases": sort(surplus)},
		"legal_basis_not_applicable", arguments, "legal_basis", {"bases": catalogue.required_bases(row, flow)},
	)
}
