# METADATA
# title: Test fixtures
# description: Flows for the policy tests, built from the catalogue so that they follow it.
# scope: package
package ketencheck.lib.fixtures_test

import data.ketencheck.lib.catalogue

# The seed's lawful replacement: IND gives COA the residence-status facts of a rejection, for ending reception.
einde_opvang := {
	"id": "ind-coa-einde-opvang",
	"from": "IND",
	"to": "COA",
	"document": "beschikking_afwijzend",
	"form": "extract",
	"fields": ["v_nummer", "rechtmatig_verblijf", "vertrektermijn_einddatum", "vertrekplicht"],
	"purpose": "einde_opvang",
	"legal_basis": ["avg_6_1_c", "vw_107_4", "vv_7_1e"],
}

# METADATA
# title: A flow
# description: The lawful einde_opvang flow with some keys replaced.
flow(changes) := object.union(einde_opvang, changes)

# METADATA
# title: An integral flow
# description: The einde_opvang flow with some keys replaced, sent integrally (so without fields).
integral(changes) := object.union(object.remove(einde_opvang, ["fields"]), object.union({"form": "integral"}, changes))

# METADATA
# title: The lawful flow of a matrix row
# description: >-
#   What a row allows its recipient to receive from a document: the row's form, its extract (as far as the
#   document holds it), all its bases and its channel, from the document's originator (IND where the
#   originator is the recipient itself).
lawful(row, recipient, document) := object.union_n([
	{
		"id": lower(concat("-", [row.id, recipient, document])),
		"from": _sender(recipient, document),
		"to": recipient,
		"document": document,
		"form": row.form,
		"purpose": row.purpose,
		"legal_basis": row.bases,
	},
	_fields(row, document),
	_channel(row),
])

_sender(recipient, document) := catalogue.documents[document].originator if {
	catalogue.documents[document].originator != recipient
}

_sender(recipient, document) := "IND" if catalogue.documents[document].originator == recipient

_fields(row, document) := {"fields": catalogue.lawful_extract(row, document)} if row.form == "extract"

_fields(row, _) := {} if row.form == "integral"

_channel(row) := {"channel": row.channel} if row.channel

_channel(row) := {} if not row.channel

# METADATA
# title: Findings of one rule
# description: The findings a rule package reports for the given flows.
findings(rule, flows) := found if {
	found := data.ketencheck.rules[rule].deny with input as {"flows": flows}
}

# METADATA
# title: Rules that fired
# description: The names of the rules with a finding for the given flows.
fired(flows) := {f.rule | some f in found} if {
	found := data.ketencheck.main.findings with input as {"flows": flows}
}
