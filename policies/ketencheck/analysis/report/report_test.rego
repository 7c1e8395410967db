package ketencheck.analysis.report_test

import data.ketencheck.analysis.report

test_the_result_has_what_the_policy_commands_read if {
	every key in {
		"pack", "originators", "categories", "admissions", "holdings", "invariants", "violations",
		"malformed", "row_checks", "row_findings", "exemptions", "rows", "law",
	} {
		key in object.keys(report.result)
	}
	not "cells" in object.keys(report.result)
}

test_a_diff_gets_the_cells_and_forbidden_holdings if {
	result := report.result with input as {"diff": true}
	cell := result.cells["GEMEENTE|beschikking_toewijzend|huisvesting_vergunninghouders"]
	cell == {
		"row": "gemeente-huisvesting",
		"form": "extract",
		"fields": ["geboortedatum", "gezinssamenstelling", "naam", "v_nummer", "vergunning_geldigheid"],
		"bases": ["avg_6_1_c", "huisvestingswet_28", "vv_7_1e", "vw_107_4"],
		"channel": "",
	}
	result.cells["BZ|nader_gehoor|ambtsbericht_onderzoek"].channel == "schriftelijk"
	count(result.forbidden) == count(result.invariants)
}
