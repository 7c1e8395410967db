# METADATA
# title: Test fixtures
# description: Flows for the policy tests, built from the catalogue so that they follow it.
# scope: package
package ketencheck.lib.fixtures_test

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.index

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
	"retention": "P4W",
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
#   document holds it), all its bases, its channel and the purpose's longest retention, from the document's originator (IND where the
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
		"retention": catalogue.purposes[row.purpose].retention.max,
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
findings(rule, flows) := without_sources(found) if {
	found := data.ketencheck.rules[rule].deny with input as {"flows": flows}
}

# METADATA
# title: Rules that fired
# description: The names of the rules with a finding for the given flows.
fired(flows) := {f.rule | some f in found} if {
	found := data.ketencheck.main.findings with input as {"flows": flows}
}

# METADATA
# title: Findings of one chain rule
# description: The findings a chain rule package reports for the given set of flows.
chain_findings(rule, flows) := without_sources(found) if {
	found := data.ketencheck.chain[rule].deny with input as {"flows": flows}
}

# METADATA
# title: The housing chain
# description: >-
#   IND gives COA the housing extract of a residence permit and COA passes part of it to the municipality:
#   the chain of the examples (IND -> COA -> GEMEENTE), as flows with some keys replaced.
ind_coa_housing(changes) := object.union(
	{
		"id": "ind-coa-huisvesting",
		"from": "IND",
		"to": "COA",
		"document": "beschikking_toewijzend",
		"form": "extract",
		"fields": ["v_nummer", "naam", "geboortedatum", "gezinssamenstelling", "vergunning_geldigheid"],
		"purpose": "huisvesting_vergunninghouders",
		"legal_basis": ["avg_6_1_c", "vw_107_4", "vv_7_1e"],
		"retention": "P1Y",
	},
	changes,
)

# METADATA
# title: COA to the municipality
# description: COA's housing extract for the municipality, with some keys replaced.
coa_gemeente_housing(changes) := object.union(
	{
		"id": "coa-gemeente-huisvesting",
		"from": "COA",
		"to": "GEMEENTE",
		"document": "beschikking_toewijzend",
		"form": "extract",
		"fields": ["v_nummer", "naam", "gezinssamenstelling"],
		"purpose": "huisvesting_vergunninghouders",
		"legal_basis": ["avg_6_1_c", "vw_107_4", "vv_7_1e", "huisvestingswet_28"],
		"retention": "P1Y",
	},
	changes,
)

# METADATA
# title: IND to the municipality
# description: IND's BRP extract of a residence permit for the municipality, with some keys replaced.
ind_gemeente_brp(changes) := object.union(
	{
		"id": "ind-gemeente-brp",
		"from": "IND",
		"to": "GEMEENTE",
		"document": "beschikking_toewijzend",
		"form": "extract",
		"fields": ["v_nummer", "geslacht", "nationaliteit"],
		"purpose": "brp_inschrijving",
		"legal_basis": ["avg_6_1_c", "vw_107_4", "vb_8_1", "wet_brp"],
		"retention": "P1Y",
	},
	changes,
)

# METADATA
# title: Findings without their sources
# description: >-
#   Findings with legal_sources left out, for tests that assert a whole finding: its links carry the evaluation
#   date, which lib/law_test.rego tests.
without_sources(findings) := {object.remove(f, ["legal_sources"]) | some f in findings}

# METADATA
# title: Findings without their binding
# description: >-
#   The findings with subject, digest, waivable, scope and legal_sources left out, for tests that spell out the message; the
#   binding is tested in lib/result_test.rego and with the subjects below.
bare(found) := {object.remove(f, ["subject", "digest", "waivable", "scope", "legal_sources", "title_nl"]) | some f in found}

# METADATA
# title: Subjects
# description: The subject of every finding, by rule.
subjects(found) := {[f.rule, f.subject] | some f in found}

# METADATA
# title: The index of another matrix
# description: >-
#   The catalogue index (lib/index.rego) built for the given matrix rows: a test that replaces the matrix
#   replaces its index too (data.ketencheck.catalogue.index), as regenerating catalogue/index/data.json would.
index_with(rows) := built if {
	built := index.build with data.ketencheck.catalogue.matrix.rows as rows
}
