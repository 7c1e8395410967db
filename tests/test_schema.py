from __future__ import annotations

from typing import Any

import pytest

from checker.schema import format_path, validate


def _flow(**changes: Any) -> dict[str, Any]:
    flow: dict[str, Any] = {
        "id": "a",
        "from": "IND",
        "to": "COA",
        "document": "beschikking_afwijzend",
        "form": "extract",
        "fields": ["v_nummer"],
        "purpose": "einde_opvang",
        "legal_basis": ["avg_6_1_c"],
    }
    flow.update(changes)
    return {k: v for k, v in flow.items() if v is not None}


def _messages(*flows: dict[str, Any]) -> list[str]:
    return [p.message for p in validate({"version": 1, "flows": list(flows)})]


def test_a_valid_flow_has_no_problems() -> None:
    assert _messages(_flow(), _flow(id="b", form="integral", fields=None, channel="bvv", retention="P4W")) == []


def test_volume_and_dpia_are_optional_keys() -> None:
    assert _messages(_flow(volume=2500, dpia="DPIA-2026-004"), _flow(id="b", volume=0)) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fields": None}, "flows[0].fields: required when form is extract"),
        (
            {"form": "integral"},
            "flows[0].fields: not allowed when form is integral (integral means every field of the document)",
        ),
        ({"fields": []}, "flows[0].fields: must be a non-empty list of at most 500 field ids without duplicates"),
        (
            {"fields": ["v_nummer", "v_nummer"]},
            "flows[0].fields: must be a non-empty list of at most 500 field ids without duplicates",
        ),
        (
            {"id": "Has Caps"},
            "flows[0].id: must be lowercase letters, digits and hyphens, starting with a letter or digit, "
            "at most 128 characters",
        ),
        ({"form": "partial"}, "flows[0].form: must be integral or extract"),
        ({"purpose": None}, "flows[0].purpose: required"),
        ({"retention": "4 weeks"}, "flows[0].retention: must be an ISO 8601 duration such as P4W or P1Y6M"),
        (
            {"legal_basis": "avg_6_1_c"},
            "flows[0].legal_basis: must be a non-empty list of at most 50 legal-basis ids without duplicates",
        ),
        (
            {"to": 7},
            "flows[0].to: must be an id: visible text of at most 128 characters "
            "(blank or invisible-only text is not a value)",
        ),
        ({"volume": -1}, "flows[0].volume: must be a whole number of records per year"),
        ({"volume": "many"}, "flows[0].volume: must be a whole number of records per year"),
        ({"volume": 2.5}, "flows[0].volume: must be a whole number of records per year"),
        (
            {"dpia": ""},
            "flows[0].dpia: must be the reference of a DPIA: visible text of at most 200 characters "
            "(blank or invisible-only text is not a value)",
        ),
    ],
)
def test_mistakes_are_named_in_plain_words(changes: dict[str, Any], message: str) -> None:
    assert message in _messages(_flow(**changes))


def test_an_unknown_key_lists_the_known_ones() -> None:
    (message,) = _messages(_flow(recipient="COA"))
    assert message.startswith("flows[0].recipient: unknown key (known keys: channel, description, document")


def test_top_level_problems() -> None:
    assert [p.message for p in validate({"version": 2, "flows": []})] == [
        "flows: must be a non-empty list of flows",
        "version: must be the integer 1",
    ]
    assert [p.message for p in validate(["a"])] == ["(top level): must be a mapping with the keys version and flows"]


def test_problem_paths_point_at_the_offending_key() -> None:
    (problem,) = validate({"version": 1, "flows": [_flow(fields=None)]})
    assert problem.path == ("flows", 0, "fields")


def test_format_path() -> None:
    assert format_path(("flows", 2, "fields")) == "flows[2].fields"
    assert format_path(()) == "(top level)"
