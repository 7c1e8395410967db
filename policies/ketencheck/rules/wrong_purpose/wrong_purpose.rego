package ketencheck.rules.wrong_purpose

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result

# METADATA
# scope: document
# title: Wrong purpose
# description: >-
#   The recipient may receive this document, but not for the purpose the flow states. Personal data are
#   collected for specified purposes and not further processed in a way incompatible with them (purpose
#   binding); the lawful purposes are named, and whether the stated purpose is a task of the recipient.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: AVG art. 5(1)(b)
# custom:
#   severity: error
#   nl:
#     title: Verkeerd doel
#     description: >-
#       De ontvanger mag dit document ontvangen, maar niet voor het doel dat de verstrekking noemt. Persoonsgegevens
#       worden verzameld voor bepaalde doelen en mogen niet worden verwerkt op een manier die daarmee niet verenigbaar
#       is (doelbinding). De bevinding noemt de doelen die wel mogen, en of het genoemde doel een taak van de ontvanger
#       is.
#   legal_refs:
#     - avg_5_1_b
#     - vw_107_4
deny contains finding if {
	some flow in catalogue.suspects

	# Cheap first: most flows have their row (looked up once for all rules), and need no list of purposes.
	not catalogue.row(flow)
	catalogue.purposes[flow.purpose]
	lawful := catalogue.lawful_purposes(flow)
	not flow.purpose in lawful
	[message_id, task] := _task_note(flow)
	arguments := {"recipient": flow.to, "document": flow.document, "purposes": sort(lawful), "purpose": flow.purpose}
	[fix_id, fix_arguments] := _fix(lawful)
	finding := result.finding_with_fix(
		rego.metadata.chain(), flow, {"lawful": sort(lawful)},
		message_id, object.union(arguments, task), fix_id, fix_arguments,
	)
}

_task_note(flow) := ["wrong_purpose.task_of_recipient", {}] if {
	flow.to in catalogue.purposes[flow.purpose].partners
}

_task_note(flow) := ["wrong_purpose.task_of_others", {"partners": sort(catalogue.purposes[flow.purpose].partners)}] if {
	not flow.to in catalogue.purposes[flow.purpose].partners
}

_fix(lawful) := ["purpose", {"purpose": p}] if {
	count(lawful) == 1
	some p in lawful
}

_fix(lawful) := ["purpose.one_of", {"purposes": sort(lawful)}] if count(lawful) > 1
