"""The output formats in the reader's language (issue 15, items 4 and 6): Dutch goldens beside the English ones,
the frame of every format in Dutch, machine keys in English, and SARIF's message templates and arguments."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output in a test
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from checker import i18n
from checker.format import FormatChoice, sarif, words
from checker.i18n import Lang
from checker.model import Finding, FlowId, Report, RuleName, Severity, WaiverResult, WaiverStatus
from tests.conftest import GOLDEN, INTEGRAL, LAWFUL, ROOT, report_json, run_cli, write
from tests.test_ci import sarif_errors, sarif_multitool  # noqa: F401 - the fixture, shared
from tests.test_format import _EMPTY, _report, _waived, _waiver


@pytest.fixture
def dutch() -> Iterator[None]:
    i18n.use(Lang.NL)
    yield
    i18n.use(Lang.EN)


DUTCH = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "nl_NL.UTF-8"}

CASES = [("findings", _report()), ("empty", _EMPTY), ("waived", _waived())]


@pytest.mark.parametrize("choice", list(FormatChoice))
@pytest.mark.parametrize(("case", "report"), CASES)
def test_golden_in_dutch(
    choice: FormatChoice, case: str, report: Report, golden: Callable[[str, str], None], dutch: None
) -> None:
    golden(f"{case}.nl.{choice.value}", choice.to_formatter().render(report))


@pytest.mark.parametrize(("case", "report"), CASES)
def test_json_is_the_contract_in_every_language(case: str, report: Report) -> None:
    english = FormatChoice.JSON.to_formatter().render(report)
    i18n.use(Lang.NL)
    try:
        assert FormatChoice.JSON.to_formatter().render(report) == english
    finally:
        i18n.use(Lang.EN)


def test_the_dutch_text_report_names_verdicts_and_counts_in_dutch(dutch: None) -> None:
    text = FormatChoice.TEXT.to_formatter().render(_report())
    assert "  GEWEIGERD  ind-coa-integraal  (regel 3)\n" in text
    assert "  TOEGESTAAN ind-coa-extract  (regel 12)\n" in text
    assert "        fout integral_not_proportional\n" in text
    assert "        waarschuwing legal_basis_not_applicable\n" in text
    assert "          wet: AVG art. 5(1)(c) (tekst niet gecontroleerd); Vw 2000 art. 107(4)\n" in text
    assert "          oplossing:\n" in text
    assert "IND -> COA: beschikking_afwijzend, integral, voor einde_opvang" in text
    assert text.startswith("beleidspakket: vreemdelingenketen (opa 1.22.3)\n")
    assert "  INVOER regel 7: " in text
    assert text.endswith(
        "2 verstrekkingen gecontroleerd: 1 toegestaan, 1 geweigerd, 1 waarschuwing; 1 invoerfout (niet gecontroleerd)\n"
    )
    for english in ("DENY", "ALLOW", "INPUT", "line ", "law:", "fix:", "flows checked", "warning", "error "):
        assert english not in text, english


def test_plurals_follow_the_count_in_both_languages(dutch: None) -> None:
    one = dataclasses.replace(_report(), results=_report().results[:1], errors=())
    assert (
        FormatChoice.TEXT.to_formatter()
        .render(one)
        .endswith("1 verstrekking gecontroleerd: 0 toegestaan, 1 geweigerd\n")
    )
    i18n.use(Lang.EN)
    assert FormatChoice.TEXT.to_formatter().render(one).endswith("1 flow checked: 0 allowed, 1 denied\n")


def test_the_verdict_labels_line_up_in_dutch(dutch: None) -> None:
    lines = [line for line in FormatChoice.TEXT.to_formatter().render(_report()).splitlines() if "(regel" in line]
    assert len({line.index("ind-coa") for line in lines}) == 1, lines


def test_waiver_statuses_line_up_and_are_dutch(dutch: None) -> None:
    text = FormatChoice.TEXT.to_formatter().render(_waived())
    section = text[text.index("\nontheffingen\n") :].splitlines()[2:5]
    assert [line.split()[0] for line in section] == ["TOEGEPAST", "VERLOPEN", "ONGEBRUIKT"]
    assert len({line.index("waivers.yaml") for line in section}) == 1, section
    assert "is verlopen op 2026-01-31; de bevinding telt weer mee" in text
    assert "geaccepteerd tot en met 2026-12-31 door FG (DPIA-2026-004)" in text


def test_every_waiver_status_and_notice_keeps_its_english_for_the_json_report() -> None:
    # The JSON report (the contract) shows WaiverResult.message: English, whatever the language in use.
    waiver = _waiver("self_flow", "elsewhere", "2027-01-31", 17)
    for status in WaiverStatus:
        result = WaiverResult(waiver, status)
        assert result.message == result.describe()
        i18n.use(Lang.NL)
        try:
            assert result.message == result.describe()
            assert result.describe(i18n._) != result.message, status
        finally:
            i18n.use(Lang.EN)


def test_every_word_a_format_writes_has_a_dutch_translation() -> None:
    # Every msgid of the formats domain translated: a missing one would show English in a Dutch report.
    from babel.messages.pofile import read_po

    with (i18n.LOCALE_DIR / "nl" / "LC_MESSAGES" / "formats.po").open("rb") as source:
        catalogue = read_po(source)
    untranslated = [
        m.id for m in catalogue if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert untranslated == []
    for message in catalogue:
        if not message.id:
            continue
        ids = [str(i) for i in message.id] if isinstance(message.id, tuple | list) else [str(message.id)]
        strings = (
            [str(t) for t in message.string] if isinstance(message.string, tuple | list) else [str(message.string)]
        )
        # The same placeholders in both: a translation can neither lose a value nor ask for one that is not given.
        for text in strings:
            assert _placeholders(text) == _placeholders(ids[0]), message.id


def test_the_catalogue_has_every_word_the_code_asks_for_and_no_other() -> None:
    # What pybabel extract finds in the formats (and the waiver and baseline texts they show) is what formats.po
    # holds: a word added to the code without a translation, or a translation left behind, fails here.
    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import read_po

    # model.py and baseline.py are shared with the command line (domain cli): their other texts, such as a bad
    # baseline file's error, are the cli domain's; only the formats' own files must be here whole.
    keywords = {"_": None, "ngettext": (1, 2), "N_": None}

    def extracted(paths: list[Path]) -> set[str]:
        return {
            message if isinstance(message, str) else message[0]
            for path in paths
            for _line, message, _comments, _context in extract_from_file("python", str(path), keywords=keywords)
        }

    own = extracted(sorted((ROOT / "checker" / "format").glob("*.py")))
    shown = extracted([ROOT / "checker" / "model.py", ROOT / "checker" / "baseline.py"])
    with (i18n.LOCALE_DIR / "nl" / "LC_MESSAGES" / "formats.po").open("rb") as source:
        held = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(source) if m.id}
    assert own <= held
    assert held <= own | shown


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"(?<!\{)\{(\w*)\}(?!\})", text))


def test_the_markdown_and_github_frames_are_dutch(dutch: None) -> None:
    markdown = FormatChoice.MARKDOWN.to_formatter().render(_report())
    assert "**1 invoerfout: ketencheck kon niet alles controleren.**" in markdown
    assert (
        "| verstrekkingen | toegestaan | geweigerd | in baseline | waarschuwingen | met ontheffing | invoerfouten |"
        in (markdown)
    )
    assert "### Bevindingen" in markdown and "### Oplossingen" in markdown
    assert "| verstrekking | waar | toets | wet | wat |" in markdown
    github = FormatChoice.GITHUB.to_formatter().render(_waived())
    assert github.endswith("ketencheck: 2 verstrekkingen gecontroleerd: 2 toegestaan, 0 geweigerd, 0 invoerfouten\n")
    assert "title=ontheffing verlopen::" in github
    assert "%0Awet: AVG art. 5(1)(c)" in github


def test_junit_keeps_its_attribute_names_and_says_its_texts_in_dutch(dutch: None) -> None:
    root = ET.fromstring(FormatChoice.JUNIT.to_formatter().render(_report()).split("\n", 1)[1])  # noqa: S314
    assert set(root.attrib) == {"name", "tests", "failures", "errors", "skipped"}
    failure = root.find("./testsuite/testcase/failure")
    assert failure is not None and failure.text is not None
    assert failure.text.startswith("fout integral_not_proportional: ")
    assert "\nwet: AVG art. 5(1)(c); Vw 2000 art. 107(4)\noplossing:\n" in failure.text
    error = root.find(".//error/..")
    assert error is not None and error.get("name") == "regel 7"


# SARIF: message templates (SARIF 2.1.0 §3.11.5 messageStrings, §3.11.7 arguments) from a hand-made catalogue,
# through the interface checker/format/sarif.py defines; the findings domain of the harness fills it in a run.

_EN = {
    "too_much": "{recipient} may receive {document} only as an extract of at most {limit} fields; {recipient} asked",
    "too_much.braces": "{{literal}} {document}",
}
_NL = {
    "too_much": "{recipient} mag {document} alleen als uittreksel van hoogstens {limit} velden ontvangen",
    "too_much.braces": "{{letterlijk}} {document}",
}


def test_named_placeholders_become_positions_by_their_first_appearance_in_english() -> None:
    order = sarif.argument_order(_EN["too_much"])
    assert order == ("recipient", "document", "limit")
    assert sarif.positional(_EN["too_much"], order) == (
        "{0} may receive {1} only as an extract of at most {2} fields; {0} asked"
    )
    # Dutch may put them in another order: each keeps the position the English gave it.
    assert sarif.positional("{limit} velden voor {recipient}", order) == "{2} velden voor {0}"
    assert sarif.positional(_EN["too_much.braces"], ("document",)) == "{{literal}} {0}"


def test_message_strings_and_a_results_message_id_and_arguments() -> None:
    strings = sarif.message_strings(["too_much", "unknown"], _NL.get, _EN.get)
    assert strings == {"too_much": {"text": "{0} mag {1} alleen als uittreksel van hoogstens {2} velden ontvangen"}}
    message = sarif.result_message("too_much", {"limit": "10", "document": "D", "recipient": "COA"}, _EN.get, "t")
    assert message == {"id": "too_much", "arguments": ["COA", "D", "10"], "text": "t"}
    assert sarif.result_message("unknown", {}, _EN.get, "t") is None


@dataclasses.dataclass(frozen=True)
class _Structured(Finding):
    # The structured finding of issue 15 (message_id and arguments), for a SARIF log before the harness has it.
    message_id: str = ""
    arguments: Mapping[str, Any] = dataclasses.field(default_factory=dict)


def structured_log(monkeypatch: pytest.MonkeyPatch, lang: Lang) -> dict[str, Any]:
    """A SARIF log of a finding with message_id and arguments, its templates from _EN and _NL."""
    tables = {Lang.EN: _EN, Lang.NL: _NL}
    monkeypatch.setattr(sarif, "_templates", lambda which: tables[which].get)
    finding = _Structured(
        FlowId("ind-coa-integraal"),
        RuleName("too_much"),
        Severity.ERROR,
        "COA may receive beschikking_afwijzend only as an extract of at most 10 fields; COA asked",
        ("AVG art. 5(1)(c)",),
        message_id="too_much",
        arguments={"recipient": "COA", "document": "beschikking_afwijzend", "limit": 10},
    )
    base = _report()
    report = dataclasses.replace(base, results=(dataclasses.replace(base.results[0], findings=(finding,)),), errors=())
    i18n.use(lang)
    try:
        return json.loads(FormatChoice.SARIF.to_formatter().render(report))  # type: ignore[no-any-return]
    finally:
        i18n.use(Lang.EN)


@pytest.mark.parametrize("lang", list(Lang))
def test_a_structured_finding_gives_sarif_its_template_and_arguments(
    monkeypatch: pytest.MonkeyPatch, lang: Lang
) -> None:
    run = structured_log(monkeypatch, lang)["runs"][0]
    (rule,) = run["tool"]["driver"]["rules"]
    template = (_NL if lang is Lang.NL else _EN)["too_much"]
    assert rule["messageStrings"] == {
        "too_much": {"text": sarif.positional(template, ("recipient", "document", "limit"))}
    }
    (result,) = run["results"]
    assert result["message"]["id"] == "too_much"
    assert result["message"]["arguments"] == ["COA", "beschikking_afwijzend", "10"]
    assert result["message"]["text"].startswith("ind-coa-integraal: ")
    assert run.get("language") == ("nl-NL" if lang is Lang.NL else None)
    if lang is Lang.NL:
        assert "Wet: AVG art. 5(1)(c)." in result["message"]["text"]


def test_a_finding_without_a_message_id_keeps_a_text_only_message(dutch: None) -> None:
    run = json.loads(FormatChoice.SARIF.to_formatter().render(_report()))["runs"][0]
    assert all(set(r["message"]) == {"text"} for r in run["results"])
    assert all("messageStrings" not in r for r in run["tool"]["driver"]["rules"])
    assert run["language"] == "nl-NL"
    assert words.lang_tag() == "nl-NL"


@pytest.mark.parametrize("case", ["findings", "empty", "waived"])
def test_the_dutch_golden_sarif_is_valid(tmp_path: Path, sarif_multitool: str, case: str) -> None:  # noqa: F811
    path = write(tmp_path, f"{case}.nl.sarif", (GOLDEN / f"{case}.nl.sarif").read_text(encoding="utf-8"))
    assert sarif_errors(sarif_multitool, path) == []


@pytest.mark.parametrize("lang", list(Lang))
def test_sarif_with_message_strings_is_valid(
    tmp_path: Path,
    sarif_multitool: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    lang: Lang,
) -> None:
    path = write(tmp_path, f"structured.{lang.value}.sarif", json.dumps(structured_log(monkeypatch, lang)))
    assert sarif_errors(sarif_multitool, path) == []


@pytest.mark.opa
def test_baseline_and_waiver_sections_in_dutch_through_the_cli(tmp_path: Path, opa_binary: str) -> None:
    # A baseline entry the flow no longer matches, and an expired waiver: both sections in Dutch, JSON in English.
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    baseline = tmp_path / "baseline.json"
    assert run_cli("check", "--write-baseline", str(baseline), str(flows)).returncode == 0
    write(tmp_path, "a.flow.yaml", LAWFUL)
    waivers = write(
        tmp_path,
        "waivers.yaml",
        "version: 1\nwaivers:\n  - flow: ind-coa-einde-opvang\n    rule: field_not_needed\n"
        "    justification: Overgang tot de koppeling per 1 maart live is\n"
        "    approver: FG\n    dpia: DPIA-1\n    expires: 2026-01-31\n",
    )
    args = ("check", "--today", "2026-11-28", "--baseline", str(baseline), "--waivers", str(waivers), str(flows))
    dutch = run_cli(*args, env=DUTCH)
    assert "\nbaseline\n  WAARSCHUWING  " in dutch.stdout, dutch.stdout
    assert "past bij geen enkele bevinding: de verstrekking is gewijzigd, verbeterd of verwijderd" in dutch.stdout
    assert "\nontheffingen\n  VERLOPEN   " in dutch.stdout, dutch.stdout
    assert "is verlopen op 2026-01-31; de bevinding telt weer mee" in dutch.stdout
    english = report_json(run_cli(*args, "--format", "json", env=DUTCH).stdout)
    assert english["notices"][0]["message"].startswith("baseline entry for integral_not_proportional on ")
    assert english["waivers"][0]["message"] == (
        "waiver for field_not_needed on ind-coa-einde-opvang expired on 2026-01-31; the finding counts again"
    )
