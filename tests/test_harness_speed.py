"""Shortcuts in the harness's own work give exactly what the long way gave."""

from __future__ import annotations

import pytest

from checker import sanitize

TEXTS = [
    "",
    '{"a": "plain ascii"}',
    '{"a": "del \x7f here"}',
    '{"a": "caf\u00e9, no control"}',
    '{"a": "c1 \x85 and \x9f"}',
    '{"a": "line\u2028separator, bidi \u202e\u2066 and \u061c, marks \u200e\u200f"}',
    '{"a": "emoji \U0001f600 and \u2069"}',
]


@pytest.mark.parametrize("text", TEXTS)
def test_json_safe_escapes_what_the_substitution_escapes(text: str) -> None:
    expected = sanitize._JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    assert sanitize.json_safe(text) == expected
    assert "\x7f" not in sanitize.json_safe(text)
