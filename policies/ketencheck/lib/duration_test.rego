package ketencheck.lib.duration_test

import data.ketencheck.lib.duration

test_calendar_units if {
	duration.days("P4W") == 28
	duration.days("P1Y6M") == 545
	duration.days("P20Y") == 7300
	duration.days("P1D") == 1
}

test_time_units if {
	duration.days("PT12H") == 0.5
	duration.days("P1DT36H") == 2.5
	duration.days("PT1440M") == 1
	duration.days("PT86400S") == 1
}

test_not_a_duration if {
	not duration.days("4 weeks")
	not duration.days("P")
	not duration.days("1Y")
}

test_a_bare_time_designator_is_not_a_duration if {
	not duration.days("P1DT")
	not duration.days("PT")
}

# The shortcut for one calendar unit gives what the general path gives.
test_one_unit_as_the_general_path if {
	every text in ["P0D", "P1D", "P7D", "P4W", "P04W", "P1M", "P6M", "P13M", "P1Y", "P20Y", "P365D", "P100Y"] {
		duration.days(text) == duration._general(text)
	}
	duration.days("P3M") == 90
	duration.days("P2Y") == 730
}

test_one_unit_needs_digits if {
	not duration.days("PW")
	not duration.days("P-1D")
	not duration.days("P1.5D")
}
