"""The pack in Dutch: every rule's title and description (METADATA custom.nl), and what `explain`, `catalogue` and
`policy docs` print when the language in use is Dutch."""

from __future__ import annotations

from typing import Any

import pytest

from checker.engine.codec import parse_rules
from checker.engine.opa_cli import OpaCliEngine
from checker.i18n import Lang
from checker.messages import Texts
from checker.model import RuleInfo

_PATH = [{"value": v} for v in ("data", "ketencheck", "rules", "demo", "deny")]


def _annotation(custom: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"path": _PATH, "annotations": {"title": "Demo", "description": "A demo.", "custom": custom}}]


@pytest.fixture(scope="module")
def rules(opa_binary: str) -> tuple[RuleInfo, ...]:
    return OpaCliEngine(opa_binary).rules()


@pytest.mark.opa
def test_every_rule_has_a_dutch_title_and_description(rules: tuple[RuleInfo, ...]) -> None:
    assert len(rules) >= 18
    for rule in rules:
        assert rule.title_nl and rule.title_nl != rule.title, rule.name
        assert rule.description_nl and rule.description_nl != rule.description, rule.name
        assert Texts(Lang.NL).rule_title(rule) == rule.title_nl
        assert Texts(Lang.NL).rule_description(rule) == rule.description_nl
        assert Texts(Lang.EN).rule_title(rule) == rule.title
        assert Texts(Lang.EN).rule_description(rule) == rule.description


def test_custom_nl_is_read_from_the_metadata_and_a_rule_without_it_falls_back_on_english() -> None:
    nl = {"title": "Voorbeeld", "description": "Een\n  voorbeeld."}
    [dutch] = parse_rules(_annotation({"severity": "error", "legal_refs": [], "nl": nl}), "opa")
    assert (dutch.title_nl, dutch.description_nl) == ("Voorbeeld", "Een voorbeeld.")
    [plain] = parse_rules(_annotation({"severity": "error", "legal_refs": []}), "opa")
    assert (plain.title_nl, plain.description_nl) == ("", "")
    assert Texts(Lang.NL).rule_title(plain) == "Demo"
    assert Texts(Lang.NL).rule_description(plain) == "A demo."


@pytest.mark.parametrize("nl", ["Voorbeeld", ["x"], {"title": 3, "description": None}])
def test_a_malformed_custom_nl_is_no_dutch_rather_than_a_crash(nl: Any) -> None:
    [rule] = parse_rules(_annotation({"severity": "error", "legal_refs": [], "nl": nl}), "opa")
    assert (rule.title_nl, rule.description_nl) == ("", "")
