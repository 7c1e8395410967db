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
