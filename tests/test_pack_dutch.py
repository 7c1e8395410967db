"""The pack in Dutch: every rule's title and description (METADATA custom.nl), and what `explain`, `catalogue` and
`policy docs` print when the language in use is Dutch."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from checker.engine.codec import parse_rules
from checker.engine.opa_cli import OpaCliEngine
from checker.i18n import Lang
from checker.messages import Texts
from checker.model import RuleInfo
from tests.conftest import GOLDEN, ROOT, run_cli

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


DUTCH = {"LANG": "nl_NL.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
ENGLISH = {"LANG": "C.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
SEED_FLOW = "ind-coa-afwijzing-integraal"
# English words that must not appear in Dutch output (whole words, outside ids, paths and YAML keys).
_ENGLISH = re.compile(
    r"\b(does not|may|receive|allowed|denied|flow|flows|finding|fix|the|and|with|rules|row|rows|extract|"
    r"integral|text not verified|lawful|purpose|severity|fields)\b"
)


def _english_words(text: str) -> list[str]:
    # Ids (a_b, a-b), code (`...`), links, file names, options and the commands and their arguments are code, not
    # prose: only the words around them count.
    prose = re.sub(r"(?m)^\$ .*$|^  (partners|documents|fields|purposes|legal-bases|matrix)  ", " ", text)
    prose = re.sub(r"`[^`]*`|\([^()\s]*://[^()\s]*\)|\S*[_/.:-]\S*", " ", prose)
    return sorted(set(_ENGLISH.findall(prose)))


@pytest.mark.opa
def test_explain_the_seed_in_dutch(golden: Callable[[str, str], None], opa_binary: str) -> None:
    done = run_cli("explain", "--today", "2026-11-28", SEED_FLOW, "examples/", env=DUTCH)
    assert done.returncode == 1, done.stderr
    golden("explain.nl.text", done.stdout)
    lines = done.stdout.splitlines()
    assert lines[0] == f"verstrekking {SEED_FLOW}  (examples/seed/ind-coa-integraal.flow.yaml, regel 6): geweigerd"
    assert (
        "  BEVINDING  fout         integral_not_proportional       Volledig document waar een uittreksel volstaat"
        in (done.stdout)
    )
    assert "einde van de opvang (einde_opvang): uittreksel van [v-nummer, besluitdatum," in done.stdout
    assert "grondslagen [wettelijke verplichting (avg_6_1_c)," in done.stdout
    # The alternative stays YAML with ids, to paste; only its comment is Dutch.
    assert "    form: extract\n" in done.stdout
    assert "# hoogstens deze velden; houd alleen wat de taak nodig heeft" in done.stdout
    # The findings' messages are rendered by checker.messages (the findings domain); the rest is checked here.
    # The alternative is YAML to paste (keys and ids are code); its comment is prose.
    ours = [
        line.partition("  # ")[2] if line.startswith("    ") else line
        for line in lines
        if not line.startswith(" " * 26)
    ]
    assert _english_words("\n".join(ours)) == []


@pytest.mark.opa
def test_explain_in_english_is_as_it_was(opa_binary: str) -> None:
    done = run_cli("explain", "--today", "2026-11-28", SEED_FLOW, "examples/", env=ENGLISH)
    assert done.stdout == (GOLDEN / "explain.text").read_text(encoding="utf-8")


@pytest.mark.opa
def test_explain_as_json_in_dutch_keeps_the_values_a_program_reads(opa_binary: str) -> None:
    done = run_cli("explain", "--format", "json", "--today", "2026-11-28", SEED_FLOW, "examples/", env=DUTCH)
    document = json.loads(done.stdout)
    assert document["verdict"] == "deny"
    rule = next(r for r in document["rules"] if r["rule"] == "integral_not_proportional")
    assert (rule["severity"], rule["scope"], rule["title"]) == (
        "error",
        "flow",
        "Volledig document waar een uittreksel volstaat",
    )
    assert document["fields_note"] == ["hoogstens deze velden; houd alleen wat de taak nodig heeft"]


@pytest.mark.opa
def test_catalogue_in_dutch(golden: Callable[[str, str], None], opa_binary: str) -> None:
    parts = []
    for args in [(), ("partners",), ("fields",), ("legal-bases",), ("matrix", "--to", "COA")]:
        done = run_cli("catalogue", *args, env=DUTCH)
        assert done.returncode == 0, done.stderr
        parts.append(f"$ ketencheck catalogue {' '.join(args)}".rstrip() + "\n" + done.stdout)
    text = "\n".join(parts)
    golden("catalogue.nl.text", text)
    assert "GEMEENTE  gemeente" in text
    assert (
        "asielmotief                    asielmotief                                    bijzondere persoonsgegevens"
        in text
    )
    # The law from the law catalogue's structure, not the catalogue's English notes.
    assert "AVG art. 6 lid 1 onder c" in text and "legal obligation" not in text
    assert "artikel 107 lid 4 Vreemdelingenwet 2000" in text
    assert _english_words(text) == []
    # JSON is for programs: the same in both languages.
    nl = run_cli("catalogue", "partners", "--format", "json", env=DUTCH).stdout
    assert nl == run_cli("catalogue", "partners", "--format", "json", env=ENGLISH).stdout


@pytest.mark.opa
def test_catalogue_in_english_is_as_it_was(opa_binary: str) -> None:
    done = run_cli("catalogue", "legal-bases", env=ENGLISH)
    assert "avg_6_1_c" in done.stdout and "AVG art. 6(1)(c): legal obligation of the controller" in done.stdout
    assert run_cli("catalogue", env=ENGLISH).stdout.startswith("usage: ketencheck catalogue SECTION [--format json]\n")


@pytest.mark.opa
def test_policy_docs_in_dutch(golden: Callable[[str, str], None], opa_binary: str) -> None:
    done = run_cli("policy", "docs", env=DUTCH)
    assert done.returncode == 0, done.stderr
    golden("rules.nl.md", done.stdout)
    assert done.stdout.startswith("# Toetsen van het beleidspakket vreemdelingenketen ")
    assert "**Veld niet nodig** · `field_not_needed` · beoordeelt één verstrekking" in done.stdout
    assert (
        "[artikel 107 lid 10 Vreemdelingenwet 2000](https://wetten.overheid.nl/jci1.3:c:BWBR0011823&hoofdstuk=8"
        "&paragraaf=1&artikel=107&lid=10&z=2026-09-01&g=2026-09-01)"
    ) in done.stdout
    assert "[AVG art. 5 lid 1 onder c](https://eur-lex.europa.eu/eli/reg/2016/679/oj) (tekst niet gecontroleerd)" in (
        done.stdout
    )
    assert _english_words(done.stdout) == []
    # The committed page and the README table stay English whatever the reader's language.
    assert run_cli("policy", "docs", env=ENGLISH).stdout == (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def test_the_english_word_scan_can_fail() -> None:
    assert _english_words("COA may receive beschikking_afwijzend") == ["may", "receive"]
    assert _english_words("verstrekking `flow` ind.flow.yaml (https://x.invalid/flow) --fail-on self-flow") == []
    assert _english_words("rechtmatig alternatief: the row") == ["row", "the"]


PACK_SOURCES = [ROOT / "checker" / name for name in ("explain.py", "catalogue.py", "policy_docs.py")]
PACK_PO = ROOT / "checker" / "locale" / "nl" / "LC_MESSAGES" / "pack.po"


def test_every_text_of_explain_catalogue_and_policy_docs_has_its_dutch_and_no_other() -> None:
    used = {
        message if isinstance(message, str) else message[0]
        for path in PACK_SOURCES
        for _, message, _, _ in extract_from_file("python", str(path), keywords={"_": None, "ngettext": (1, 2)})
    }
    with PACK_PO.open("rb") as source:
        catalogue = read_po(source)
    translated = {m.id: m.string for m in catalogue if m.id}
    assert sorted(used - set(translated)) == [], "extract again and translate (see the header of pack.po)"
    assert sorted(set(translated) - used) == [], "pack.po has texts no module uses any more"
    assert all(translated.values())
    # The placeholders of each Dutch text are those of its English msgid.
    for english, dutch in translated.items():
        assert isinstance(english, str) and isinstance(dutch, str)
        assert sorted(re.findall(r"{\w+}", english)) == sorted(re.findall(r"{\w+}", dutch)), english
