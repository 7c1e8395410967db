package ketencheck.main_test

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.lib.result
import data.ketencheck.main

# Table test: every row of the need-to-know matrix, for every recipient and document it covers, allows its
# own lawful flow without any finding of a single-flow rule, warnings and info included. (Whether the sender
# may pass the document on is the chain's question: provenance is tested with sets of flows.)
test_every_matrix_row_allows_its_lawful_flow[key] if {
	some key, row in catalogue.row_index
	[recipient, document, _] := split(key, "|")
	flow := fx.lawful(row, recipient, document)
	found := {f | some name; some f in data.ketencheck.rules[name].deny} with input as {"flows": [flow]}
		with catalogue.suspects as [flow] # the rules themselves, not the shortcut, find nothing
	found == set()
}

# The shortcut for plainly lawful flows (lib/catalogue.rego) catches the common case: every row's own lawful
# flow, and the same with its bases in another order.
test_every_rows_lawful_flow_is_plainly_lawful[key] if {
	some key, row in catalogue.row_index
	[recipient, document, _] := split(key, "|")
	flow := fx.lawful(row, recipient, document)
	reordered := object.union(flow, {"legal_basis": array.reverse(flow.legal_basis)})
	catalogue.suspects == [] with input as {"flows": [flow, reordered]}
}

# The shortcut never hides a finding: of each row's lawful flow (its first recipient and document) and many
# near misses of it, those it lets pass get no finding from any single-flow rule judging them itself (the
# others the rules judge as before, and the chain rules read only what these find).
test_the_shortcut_passes_only_flows_without_findings if {
	flows := [object.union(flow, {"id": sprintf("%s-%d", [flow.id, i])}) |
		some row in catalogue.rows
		some document in catalogue.row_documents(row)
		document == min(catalogue.row_documents(row))
		lawful := fx.lawful(row, row.recipients[0], document)
		some i, flow in _near_misses(lawful, row)
	]
	passed := [flow | some i, flow in flows; catalogue.plainly_lawful[i]] with input as {"flows": flows}
	count(passed) >= count(catalogue.rows) # each lawful flow, at least
	count(passed) * 4 < count(flows) # and few of the near misses
	found := {f | some name; some f in data.ketencheck.rules[name].deny} with input as {"flows": passed}
		with catalogue.suspects as passed
	found == set()
}

_near_misses(flow, row) := [
	flow,
	object.union(flow, {"from": flow.to}),
	object.union(flow, {"from": "NOPE"}),
	object.union(flow, {"to": "NOPE"}),
	object.union(flow, {"document": "nope"}),
	object.union(flow, {"purpose": "nope"}),
	object.union(flow, {"purpose": _other_purpose(flow.purpose)}),
	object.union(flow, {"legal_basis": array.slice(flow.legal_basis, 1, count(flow.legal_basis))}),
	object.union(flow, {"legal_basis": array.concat(flow.legal_basis, [_other_basis(row)])}),
	object.union(flow, {"legal_basis": array.concat(flow.legal_basis, ["nope"])}),
	object.union(flow, {"legal_basis": array.concat(flow.legal_basis, flow.legal_basis)}),
	object.union(flow, {"legal_basis": "avg_6_1_c"}),
	object.remove(flow, ["legal_basis"]),
	object.union(object.remove(flow, ["fields"]), {"form": "integral"}),
	object.union(flow, {"form": "extract", "fields": catalogue.documents[flow.document].fields}),
	object.union(flow, {"form": "extract", "fields": ["asielmotief", "v_nummer"]}),
	object.union(flow, {"form": "extract", "fields": ["nope"]}),
	object.union(flow, {"form": "extract", "fields": "v_nummer"}),
	object.remove(object.union(flow, {"form": "extract"}), ["fields"]),
	object.union(flow, {"form": "summary"}),
	object.union(flow, {"fields": ["nope"]}),
	object.union(flow, {"channel": "email"}),
	object.remove(flow, ["channel"]),
	object.union(flow, {"volume": 5000}),
	object.union(flow, {"volume": 5000, "dpia": "DPIA-1"}),
	object.union(flow, {"volume": "many"}),
	object.remove(flow, ["retention"]),
	object.union(flow, {"retention": "P99Y"}),
	object.union(flow, {"retention": "soon"}),
	object.union(flow, {"retention": 5}),
]

_other_purpose(purpose) := [p | some p, _ in catalogue.purposes; p != purpose][0]

_other_basis(row) := [b | some b, _ in catalogue.legal_bases; not b in row.bases][0]

test_the_table_walks_every_row if {
	every row in catalogue.rows {
		some key, indexed in catalogue.row_index
		indexed.id == row.id
		startswith(key, concat("", [row.recipients[0], "|"]))
	}
}

test_findings_collect_every_rule if {
	flows := [
		fx.integral({"id": "seed"}),
		fx.flow({"id": "self", "from": "COA"}),
		fx.flow({"id": "ggd", "to": "GGD"}),
	]
	fx.fired(flows) == {"integral_not_proportional", "special_category_data", "self_flow", "no_need_to_know", "provenance"}
}

test_findings_are_per_flow if {
	flows := [fx.integral({"id": "a"}), fx.integral({"id": "b"})]
	found := main.findings with input as {"flows": flows}
	{f.flow | some f in found} == {"a", "b"}
}

test_result_records_pack_and_opa_version if {
	r := main.result with input as {"flows": []}
	r.findings == []
	r.waivers == []
	r.bundles == {}
	r.verdicts == {}
	not r.explain
	r.pack.name == "vreemdelingenketen"
	r.opa_version != ""
}

# Waivers: accepted findings stay visible, marked with the waiver that accepts them. A version 2 waiver names
# the finding (subject) and the flow's judged content (digest); version 1 only flow and rule.
_seed := fx.integral({"id": "seed"})

_seed_subject := {"fields": sort(catalogue.document_fields("beschikking_afwijzend"))}

_waiver(changes) := object.union(
	{
		"version": 2,
		"flow": "seed",
		"rule": "integral_not_proportional",
		"subject": _seed_subject,
		"digest": result.digest(_seed),
		"justification": "Transition until the extract interface is live",
		"approver": "FG",
		"dpia": "DPIA-2026-004",
		"expires": "2026-12-31",
	},
	changes,
)

_v1(changes) := object.union(object.remove(_waiver({}), ["version", "subject", "digest"]), object.union({"version": 1}, changes))

_run(waivers, today) := r if {
	r := main.result with input as {"flows": [_seed], "waivers": waivers, "today": today}
}

test_a_waiver_marks_its_finding_and_leaves_the_others if {
	r := _run([_waiver({})], "2026-11-28")
	r.waivers == [{"index": 0, "status": "applied"}]
	{[f.rule, object.get(f, "waived", null)] | some f in r.findings} == {
		["integral_not_proportional", 0],
		["special_category_data", null],
	}
}

# The issue's attack: accepted for one flow, then the flow is changed into something else entirely.
test_a_waiver_does_not_follow_its_flow_into_new_content if {
	changed := object.union(_seed, {"to": "DTV", "purpose": "terugkeer", "legal_basis": ["avg_6_1_c"]})
	r := main.result with input as {"flows": [changed], "waivers": [_waiver({"rule": "legal_basis_incomplete"})], "today": "2026-11-28"}
	r.waivers == [{"index": 0, "status": "stale"}]
	r.verdicts == {"seed": "deny"}
}

test_a_waiver_for_another_subject_is_stale if {
	r := _run([_waiver({"subject": {"fields": ["v_nummer"]}})], "2026-11-28")
	r.waivers == [{"index": 0, "status": "stale"}]
	every f in r.findings {
		not "waived" in object.keys(f)
	}
}

test_a_waiver_for_another_digest_is_stale if {
	r := _run([_waiver({"digest": "sha256:0"})], "2026-11-28")
	r.waivers == [{"index": 0, "status": "stale"}]
}

test_a_version_1_waiver_still_applies_but_unbound if {
	r := _run([_v1({})], "2026-11-28")
	r.waivers == [{"index": 0, "status": "unbound"}]
	some f in r.findings
	f.rule == "integral_not_proportional"
	f.waived == 0
}

test_a_waiver_without_a_version_is_read_as_version_1 if {
	r := _run([object.remove(_v1({}), ["version"])], "2026-11-28")
	r.waivers == [{"index": 0, "status": "unbound"}]
}

test_no_waiver_accepts_what_could_not_be_judged if {
	flow := fx.flow({"id": "nieuw", "to": "PRIVATE_BROKER"})
	[finding] := [f | some f in main.findings with input as {"flows": [flow]}; f.rule == "unknown_reference"]
	bound := _waiver({"flow": "nieuw", "rule": "unknown_reference", "subject": finding.subject, "digest": finding.digest})
	r := main.result with input as {
		"flows": [flow],
		"waivers": [bound, _v1({"flow": "nieuw", "rule": "unknown_reference"})],
		"today": "2026-11-28",
	}
	r.waivers == [{"index": 0, "status": "refused"}, {"index": 1, "status": "refused"}]
	r.verdicts == {"nieuw": "deny"}
	every f in r.findings {
		not "waived" in object.keys(f)
	}
}

test_verdicts_follow_the_errors_that_count if {
	flows := [fx.integral({"id": "seed"}), fx.flow({"id": "lawful"})]
	r := main.result with input as {"flows": flows, "waivers": [], "today": "2026-11-28"}
	r.verdicts == {"seed": "deny", "lawful": "allow"}
	waived := main.result with input as {
		"flows": flows,
		"waivers": [_waiver({}), _v1({"rule": "special_category_data"})],
		"today": "2026-11-28",
	}
	waived.verdicts == {"seed": "allow", "lawful": "allow"}
}

test_a_waiver_applies_through_its_expiry_day if {
	r := _run([_waiver({})], "2026-12-31")
	r.waivers == [{"index": 0, "status": "applied"}]
	some f in r.findings
	f.rule == "integral_not_proportional"
	f.waived == 0
}

test_an_expired_waiver_no_longer_applies if {
	r := _run([_waiver({})], "2027-01-01")
	r.waivers == [{"index": 0, "status": "expired"}]
	every f in r.findings {
		not f.waived
	}
}

test_a_waiver_that_matches_nothing_is_unmatched if {
	r := _run([_waiver({"rule": "self_flow"}), _waiver({"flow": "elsewhere"})], "2026-11-28")
	r.waivers == [{"index": 0, "status": "unmatched"}, {"index": 1, "status": "unmatched"}]
}

test_without_a_date_the_clock_decides if {
	r := main.result with input as {"flows": [fx.integral({"id": "seed"})], "waivers": [_waiver({"expires": "2000-01-01"})]}
	r.waivers == [{"index": 0, "status": "expired"}]
}

# Explain: the rows consulted and the minimal lawful alternative.
_explain(flow) := r.explain if {
	r := main.result with input as {"flows": [flow], "explain": flow.id}
}

test_explain_the_seed_gives_the_extract_row_and_its_extract if {
	e := _explain(fx.integral({"id": "seed"}))
	e.flow == "seed"
	[row] := e.rows
	row.id == "coa-afwijzing-einde-opvang"
	row.matches_purpose
	e.alternatives == [{
		"id": "seed",
		"from": "IND",
		"to": "COA",
		"document": "beschikking_afwijzend",
		"form": "extract",
		"fields": [
			"v_nummer", "besluitdatum", "rechtmatig_verblijf", "verblijfsgrond", "vertrektermijn_einddatum",
			"vertrekplicht", "schorsende_werking", "uitstel_vertrek", "inreisverbod_geldt", "dublin_claimant",
		],
		"purpose": "einde_opvang",
		"legal_basis": ["avg_6_1_c", "vw_107_4", "vv_7_1e"],
		"retention": "P4W",
	}]
}

test_explain_keeps_the_lawful_part_of_an_extract if {
	e := _explain(fx.flow({"id": "x", "fields": ["v_nummer", "asielmotief"], "retention": "P5Y"}))
	[alternative] := e.alternatives
	alternative.fields == ["v_nummer"]
	alternative.retention == "P1Y"
}

test_explain_a_wrong_purpose_offers_every_lawful_purpose if {
	e := _explain(fx.flow({"id": "x", "to": "GEMEENTE", "document": "beschikking_toewijzend", "purpose": "opvang"}))
	[r.id | some r in e.rows] == ["gemeente-brp", "gemeente-huisvesting"]
	[a.purpose | some a in e.alternatives] == ["brp_inschrijving", "huisvesting_vergunninghouders"]
	every r in e.rows {
		not r.matches_purpose
	}
}

test_explain_keeps_an_integral_flow_where_the_row_is_integral if {
	e := _explain(fx.integral({"id": "x", "to": "DTV", "purpose": "terugkeer", "legal_basis": ["avg_6_1_c"]}))
	[alternative] := e.alternatives
	alternative.form == "integral"
	not alternative.fields
	alternative.legal_basis == ["avg_6_1_c", "vw_107_4", "vw_107a", "vv_7_1b"]
}

test_explain_an_extract_of_an_integral_row_cites_only_what_it_needs if {
	e := _explain(fx.flow({"id": "x", "to": "DTV", "purpose": "terugkeer", "fields": ["v_nummer", "naam"]}))
	[alternative] := e.alternatives
	alternative.fields == ["v_nummer", "naam"]
	alternative.legal_basis == ["avg_6_1_c", "vw_107_4"]
}

test_explain_without_a_row_has_no_alternative if {
	e := _explain(fx.flow({"id": "x", "to": "VWN"}))
	e.rows == []
	e.alternatives == []
}

test_explain_names_the_channel_a_row_requires if {
	flow := fx.flow({
		"id": "x", "to": "BZ", "document": "nader_gehoor", "purpose": "ambtsbericht_onderzoek",
		"fields": ["v_nummer", "asielmotief", "religie"],
	})
	e := _explain(flow)
	e.rows[0].channel == "schriftelijk"
	e.alternatives[0].channel == "schriftelijk"
	e.alternatives[0].fields == ["v_nummer", "asielmotief"]
	e.alternatives[0].legal_basis == ["avg_6_1_e", "vw_107a", "vv_7_1c"]
}

test_explain_an_extract_of_nothing_the_document_holds if {
	[to_dtv] := _explain(fx.flow({"id": "x", "to": "DTV", "purpose": "terugkeer", "fields": ["xyz"]})).alternatives
	count(to_dtv.fields) == 17
	[to_coa] := _explain(fx.flow({"id": "x", "fields": ["xyz"]})).alternatives
	count(to_coa.fields) == 10
}

test_an_expired_waiver_that_matches_nothing_is_expired if {
	r := _run([_waiver({"rule": "self_flow", "expires": "2000-01-01"})], "2026-11-28")
	r.waivers == [{"index": 0, "status": "expired"}]
}

test_explain_keeps_a_retention_of_exactly_the_maximum_as_written if {
	[alternative] := _explain(fx.flow({"id": "x", "retention": "P365D"})).alternatives
	alternative.retention == "P365D"
}

test_facts_only_when_asked_for if {
	flows := [fx.integral({"id": "a"}), fx.flow({"id": "b", "document": "onbekend"})]
	not "facts" in object.keys(main.result) with input as {"flows": flows}
	not "facts" in object.keys(main.result) with input as {"flows": flows, "facts": false}
	facts := main.result.facts with input as {"flows": flows, "facts": true}
	object.keys(facts) == {"a", "b"}
	facts.a.row == "coa-afwijzing-einde-opvang"
	facts.b == {"carried": [], "categories": [], "allowed_form": "none", "row": null}
}

test_names_only_when_asked_for if {
	flows := [fx.flow({"id": "a"})]
	not "names" in object.keys(main.result) with input as {"flows": flows}
	not "names" in object.keys(main.result) with input as {"flows": flows, "names": false}

	# The pack's own names (catalogue/labels): `with` on a data document merges into it, so the real one is used.
	names := main.result.names with input as {"flows": flows, "names": true}
	names == data.ketencheck.catalogue.labels
	names.documents.beschikking_toewijzend == {"nl": "toewijzende beschikking", "nl_article": "de", "en": "decision granting the application"}
}

test_a_pack_without_labels_names_nothing if {
	main.result.names == {} with input as {"flows": [fx.flow({"id": "a"})], "names": true}
		with data.ketencheck.catalogue as object.remove(data.ketencheck.catalogue, ["labels"])
}
