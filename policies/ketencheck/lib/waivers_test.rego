package ketencheck.lib.waivers_test

import data.ketencheck.lib.fixtures_test as fx
import data.ketencheck.lib.result

# A version 2 waiver binds the finding: the chain counts its flow as a source only while the flow is the one
# that was approved, never a flow that later took its id.
test_a_bound_waiver_makes_its_flow_a_source_only_while_the_flow_is_unchanged if {
	upstream := fx.ind_coa_housing({"legal_basis": ["avg_6_1_c", "vw_107_4"]})
	bound := {
		"version": 2, "flow": "ind-coa-huisvesting", "rule": "legal_basis_incomplete",
		"subject": {"missing": ["vv_7_1e"]}, "digest": result.digest(upstream), "expires": "2027-01-01",
	}
	flows := [upstream, fx.coa_gemeente_housing({})]
	data.ketencheck.chain.provenance.deny == set() with input as {"flows": flows, "waivers": [bound], "today": "2026-11-28"}

	changed := object.union(bound, {"digest": "sha256:0"})
	found := data.ketencheck.chain.provenance.deny with input as {"flows": flows, "waivers": [changed], "today": "2026-11-28"}
	{f.flow | some f in found} == {"coa-gemeente-huisvesting"}
}

# The chain cannot know a provenance finding's subject without recursion: it matches a version 2 provenance
# waiver by the flow's digest, and the router checks the subject when it marks the finding.
test_a_provenance_waiver_counts_for_the_chain_by_digest if {
	coa_gemeente := fx.coa_gemeente_housing({"fields": ["v_nummer"]})
	waiver := {
		"version": 2, "flow": "coa-gemeente-huisvesting", "rule": "provenance", "subject": {},
		"digest": result.digest(coa_gemeente), "expires": "2027-01-01",
	}
	data.ketencheck.lib.waivers.provenance_accepted(coa_gemeente) with input as {"waivers": [waiver], "today": "2026-11-28"}
	not data.ketencheck.lib.waivers.provenance_accepted(object.union(coa_gemeente, {"fields": ["naam"]})) with input as {
		"waivers": [waiver], "today": "2026-11-28",
	}
	not data.ketencheck.lib.waivers.provenance_accepted(coa_gemeente) with input as {"waivers": [waiver], "today": "2027-01-02"}
}
