# METADATA
# title: ISO 8601 durations
# description: >-
#   Retention periods are ISO 8601 durations (P4W, P1Y6M). OPA's time builtins read Go durations only, so the
#   calendar units are converted here to days for comparison, with a year of 365 and a month of 30 days.
# scope: package
package ketencheck.lib.duration

_pattern := `^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`

# METADATA
# title: Duration in days
# description: The length of an ISO 8601 duration in (fractional) days; undefined when the text is not one.
days(text) := to_number(substring(text, 1, count(text) - 2)) * _unit_days[substring(text, count(text) - 1, 1)] if {
	# Nearly every retention is a number of one calendar unit (P4W, P1Y): read without the full pattern, whose
	# seven groups cost more than the rest of a lawful flow's test. The same value as the general path below.
	regex.match(`^P[0-9]+[YMWD]$`, text)
} else := _general(text)

# Any ISO 8601 duration of the forms the pattern allows.
_general(text) := total if {
	# Go's regexp has no lookahead: "P" and "P1DT" would match the pattern, so require a digit and no bare T.
	regex.match(`[0-9][YMWDHS]$`, text)
	[parts] := regex.find_all_string_submatch_n(_pattern, text, 1)
	total := sum([
		365 * _number(parts[1]),
		30 * _number(parts[2]),
		7 * _number(parts[3]),
		_number(parts[4]),
		_number(parts[5]) / 24,
		_number(parts[6]) / 1440,
		_number(parts[7]) / 86400,
	])
}

_unit_days := {"Y": 365, "M": 30, "W": 7, "D": 1}

_number("") := 0

_number(digits) := to_number(digits) if digits != ""
