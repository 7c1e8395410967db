package ketencheck.lib.law_test

import data.ketencheck.lib.law

test_lid_8_until_31_august_2026_and_lid_10_from_1_september if {
	law.source("vw_107_proportionality").label == "Vw 2000 art. 107(8)" with input.today as "2026-08-31"
	law.source("vw_107_proportionality").label == "Vw 2000 art. 107(10)" with input.today as "2026-09-01"
	law.source("vw_107_proportionality").label == "Vw 2000 art. 107(10)" with input.today as "2026-11-28"
}

test_the_link_shows_the_text_of_the_evaluation_date if {
	s := law.source("vw_107a") with input.today as "2026-11-28"
	s.url == "https://wetten.overheid.nl/jci1.3:c:BWBR0011823&hoofdstuk=8&paragraaf=1a&artikel=107a&z=2026-11-28&g=2026-11-28"
	s.valid_from == "2026-09-01"
	s.verified
}

test_eu_law_links_to_its_eli if {
	law.source("avg_9_1").url == "https://eur-lex.europa.eu/eli/reg/2016/679/oj" with input.today as "2026-11-28"
}

test_an_act_without_articles_links_to_the_act if {
	s := law.source("wet_brp") with input.today as "2026-11-28"
	s.url == "https://wetten.overheid.nl/jci1.3:c:BWBR0033715&z=2026-11-28&g=2026-11-28"
	not s.verified
}

test_designation_of_other_organisations_exists_only_from_1_september_2026 if {
	law.source("vw_107_designated_organisations").label == "Vw 2000 art. 107(4)" with input.today as "2026-08-31"
	law.source("vw_107_designated_organisations").label == "Vw 2000 art. 107(8)" with input.today as "2026-09-01"
}

test_a_date_before_the_first_version_cites_it_unverified if {
	s := law.source("vw_107_proportionality") with input.today as "2025-01-01"
	s.label == "Vw 2000 art. 107(8)"
	not s.verified
	s.url == "https://wetten.overheid.nl/jci1.3:c:BWBR0011823&hoofdstuk=8&paragraaf=1&artikel=107&lid=8&z=2025-01-01&g=2025-01-01"
}

test_an_old_style_label_resolves_through_its_alias if {
	law.source("Vw 2000 art. 107(8)").label == "Vw 2000 art. 107(8)" with input.today as "2026-09-01"
	law.source("Vw 2000 art. 107(8)").url == law.source("vw_107_designated_organisations").url with input.today as "2026-09-01"
}

test_sources_do_not_repeat_a_label if {
	refs := ["vw_107_4", "vw_107_designated_organisations"]
	[s.label | some s in law.sources(refs)] == ["Vw 2000 art. 107(4)"] with input.today as "2026-08-31"
	[s.label | some s in law.sources(refs)] == ["Vw 2000 art. 107(4)", "Vw 2000 art. 107(8)"] with input.today as "2026-09-01"
}

test_a_legal_basis_cites_its_provisions if {
	law.basis_label("avg_10") == "AVG art. 10, text not verified jo. UAVG art. 31" with input.today as "2026-11-28"
	law.basis_label("vw_107_4") == "Vw 2000 art. 107(4)" with input.today as "2026-11-28"
	law.basis_label("vv_7_1e") == "VV 2000 art. 7.1e, text not verified" with input.today as "2026-11-28"
}

test_a_legal_basis_without_a_provision_falls_back_to_its_short_citation if {
	bases := {"new_basis": {"short": "Wet Y art. 2", "kind": "general"}}
	law.basis_label("new_basis") == "Wet Y art. 2, text not verified" with data.ketencheck.catalogue.legal_bases as bases
		with input.today as "2026-11-28"
}

test_the_access_right_moved_to_the_procedureverordening_on_12_june_2026 if {
	law.basis_label("vb_3_109a") == "Vb 2000 art. 3.109a(3)" with input.today as "2026-06-11"
	after := "Procedureverordening (EU) 2024/1348 art. 18, text not verified jo. Vb 2000 art. 3.109a"
	law.basis_label("vb_3_109a") == after with input.today as "2026-06-12"
	s := law.source("procedureverordening_18") with input.today as "2026-06-12"
	s.url == "https://eur-lex.europa.eu/eli/reg/2024/1348/oj"
}

test_a_provision_that_does_not_exist_yet_is_never_cited if {
	law.sources(["procedureverordening_18", "avg_5_2"]) == [law.source("avg_5_2")] with input.today as "2026-06-11"
	law.sources(["Procedureverordening (EU) 2024/1348 art. 18"]) == [] with input.today as "2026-06-11"
	not law.resolved.procedureverordening_18 with input.today as "2026-06-11"
}

test_the_clock_is_the_fallback if {
	law.today == time.format([time.now_ns(), "UTC", "2006-01-02"]) with input as {}
}

test_dutch_citations_of_the_provisions_the_rules_cite if {
	law.source("avg_5_1_c").label_nl == "AVG art. 5 lid 1 onder c" with input.today as "2026-11-28"
	law.source("vw_107_4").label_nl == "artikel 107 lid 4 Vreemdelingenwet 2000" with input.today as "2026-11-28"
	law.source("vw_107_proportionality").label_nl == "artikel 107 lid 10 Vreemdelingenwet 2000" with input.today as "2026-11-28"
	law.source("vw_107a").label_nl == "artikel 107a Vreemdelingenwet 2000" with input.today as "2026-11-28"
	law.source("uavg_22_2_e").label_nl == "artikel 22 lid 2 onder e UAVG" with input.today as "2026-11-28"
	law.source("bw_1_302").label_nl == "artikel 1:302 lid 2 BW" with input.today as "2026-11-28"
	law.source("awb_8_42").label_nl == "artikel 8:42 Awb" with input.today as "2026-11-28"
	law.source("wet_brp").label_nl == "Wet BRP" with input.today as "2026-11-28"
}

test_the_dutch_citation_follows_the_version_in_force if {
	law.source("vw_107_proportionality").label_nl == "artikel 107 lid 8 Vreemdelingenwet 2000" with input.today as "2026-08-31"
	law.source("vb_3_109a").label_nl == "artikel 3.109a lid 3 Vreemdelingenbesluit 2000" with input.today as "2026-03-01"
	law.source("vb_3_109a").label_nl == "artikel 3.109a Vreemdelingenbesluit 2000" with input.today as "2026-06-12"
}

test_a_reference_the_catalogue_does_not_know_is_cited_as_written_in_both_languages if {
	s := law.source("Wet X art. 1") with input.today as "2026-11-28"
	s.label == "Wet X art. 1"
	s.label_nl == "Wet X art. 1"
}

test_every_source_of_a_finding_has_a_dutch_citation if {
	sources := law.sources(["avg_5_1_c", "vw_107_4", "Wet X art. 1"]) with input.today as "2026-11-28"
	[s.label_nl | some s in sources] == ["AVG art. 5 lid 1 onder c", "artikel 107 lid 4 Vreemdelingenwet 2000", "Wet X art. 1"]
}

test_a_legal_basis_in_dutch_says_when_its_text_is_not_verified if {
	law.basis_label_nl("avg_10") == "AVG art. 10, tekst niet gecontroleerd jo. artikel 31 UAVG" with input.today as "2026-11-28"
	law.basis_label_nl("vw_107_4") == "artikel 107 lid 4 Vreemdelingenwet 2000" with input.today as "2026-11-28"
	[s.label_nl | some s in law.basis_sources("avg_6_1_c")] == ["AVG art. 6 lid 1 onder c"] with input.today as "2026-11-28"
}

# The index holds each provision's citation per stretch between the dates on which the law changes
# (index.law_on); on every such date, the day before it and a day before them all, it is the version that
# the provision's own versions give: the last that started on or before the day, else the first, unverified.
test_the_citation_of_each_stretch_is_the_version_in_force if {
	dates := data.ketencheck.catalogue.index.law_dates
	days := {day |
		some date in dates
		some day in [date, _day_before(date)]
	} | {"1999-01-01", "2099-12-31"}
	every day in days {
		expected := {id: citation |
			some id, versions in data.ketencheck.catalogue.index.law
			citation := _chosen(versions, day)
		}
		law.resolved == expected with input.today as day
	}
}

_day_before(date) := time.format([time.add_date(time.parse_ns("2006-01-02", date), 0, 0, -1), "UTC", "2006-01-02"])

_chosen(versions, day) := {
	"label": version.label,
	"label_nl": version.label_nl,
	"url": _url(version, day),
	"valid_from": version.valid_from,
	"verified": version.verified,
} if {
	version := _in_force(versions, day)
	not version.absent
}

_in_force(versions, day) := versions[max(started)] if {
	started := [i | some i, v in versions; v.valid_from <= day]
	count(started) > 0
} else := object.union(versions[0], {"verified": false})

_url(version, day) := sprintf("%s&z=%s&g=%s", [version.jci, day, day]) if version.jci

_url(version, _) := version.eli if not version.jci
