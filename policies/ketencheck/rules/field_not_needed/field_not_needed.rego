package ketencheck.rules.field_not_needed

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Field not needed
# description: >-
#   The extract names fields outside the matrix row's set for this recipient, document and purpose. Data must
#   be limited to what is necessary (data minimisation); the recipient receives only what it "behoeft voor
#   de uitvoering van zijn taak". Each surplus field is named and the fix keeps only the needed ones.
# related_resources:
#   - ref: https://wetten.overheid.nl/BWBR0011823/2026-09-01#Hoofdstuk7_Artikel107
#     description: Vw 2000 art. 107(4)
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: AVG art. 5(1)(c)
# custom:
#   severity: error
#   nl:
#     title: Veld niet nodig
#     description: >-
#       Het uittreksel bevat velden die de matrixrij voor deze ontvanger, dit document en dit doel niet toelaat. Een
#       verstrekking bevat alleen de gegevens die nodig zijn (dataminimalisatie): de ontvanger krijgt alleen wat hij
#       "behoeft voor de uitvoering van zijn taak". Elk overbodig veld wordt genoemd. De oplossing houdt alleen de
#       nodige velden over.
#   legal_refs:
#     - avg_5_1_c
#     - vw_107_4
deny contains finding if {
	some flow in catalogue.suspects
	flow.form == "extract"
	row := catalogue.row(flow)
	admitted := catalogue.admitted(row, flow.document)
	surplus := catalogue.carried(flow) - admitted
	count(surplus) > 0
	arguments := {
		"recipient": flow.to, "fields": sort(surplus), "document": flow.document, "purpose": flow.purpose,
		"admitted": sort(admitted),
	}
	[fix_id, fix_arguments] := _fix(flow, row, surplus)
	finding := result.finding_with_fix(
		rego.metadata.chain(), flow, {"fields": sort(surplus)},
		"field_not_needed", arguments, fix_id, fix_arguments,
	)
}

_fix(flow, _, surplus) := ["fields", {"fields": kept}] if {
	kept := [f | some f in flow.fields; not f in surplus]
	count(kept) > 0
}

# Every field the row admits is an upper bound, not what the task needs: the fix's comment says so.
_fix(flow, row, surplus) := ["fields.upper_bound", {"fields": catalogue.lawful_extract(row, flow.document)}] if {
	every f in flow.fields {
		f in surplus
	}
}
