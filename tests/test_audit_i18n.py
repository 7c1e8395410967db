"""The audit in Dutch: every text of its templates and code has a Dutch translation with the same placeholders, and
the frame of the Dutch page (headings, labels, legends, table headers, summaries, tooltips) has no English in it."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from click.testing import CliRunner

from checker import cli, i18n
from checker.audit import html as audit_html
from checker.audit import markdown, view
from checker.i18n import Lang
from checker.messages import Texts
from checker.model import FlowId, Report, RuleName, Waiver, WaiverResult, WaiverStatus
from tests.conftest import ROOT

AUDIT = ROOT / "checker" / "audit"
PO = i18n.LOCALE_DIR / "nl" / "LC_MESSAGES" / "audit.po"
# pybabel's own keywords (Jinja2 reports a {% trans %} block as gettext or ngettext) and those the design names.
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}

Key = tuple[str | None, str]
"""A message of the catalogue: its context and its msgid (the singular, for a plural)."""


def _extracted() -> dict[Key, tuple[str, ...]]:
    # As `pybabel extract -F checker/audit/babel.cfg` reads the audit: the same methods, templates with Jinja2's
    # i18n extension ({% trans %} blocks and _() calls).
    with (AUDIT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]

    def only_the_audit(directory: str) -> bool:
        relative = Path(directory).relative_to(ROOT).as_posix()
        return relative in ("", ".", "checker") or relative.startswith("checker/audit")

    found: dict[Key, tuple[str, ...]] = {}
    for _file, _line, message, _comments, context in extract_from_dir(
        ROOT, method_map, options_map, KEYWORDS, directory_filter=only_the_audit
    ):
        ids = (message,) if isinstance(message, str) else tuple(message)
        found[(context, ids[0])] = ids
    return found


def _catalogue() -> Catalog:
    with PO.open("rb") as source:
        return read_po(source)


def _placeholders(text: str) -> set[str]:
    # Both kinds the audit uses: {name} for str.format in Python, %(name)s for Jinja2's {% trans %} and _().
    braces = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    return braces | set(re.findall(r"%\((\w+)\)s", text))


def test_every_text_of_the_audit_has_a_dutch_translation_with_the_same_placeholders() -> None:
    extracted = _extracted()
    assert len(extracted) > 100  # the templates and the code were read, not an empty selection
    assert ("register column", "controller_name") in extracted
    assert (None, "%(title)s: the chain at a glance") in extracted  # a {% trans %} block of report.html
    catalogue = _catalogue()
    translated = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in catalogue if m.id}
    assert sorted(set(extracted) - set(translated), key=str) == [], "not in audit.po: run pybabel update"
    assert sorted(set(translated) - set(extracted), key=str) == [], "in audit.po but no longer used"
    for key, ids in extracted.items():
        message = translated[key]
        assert not message.fuzzy, key
        strings = (message.string,) if isinstance(message.string, str) else tuple(message.string or ())
        assert len(strings) == len(ids), key  # a plural is translated as a plural (Dutch: two forms)
        wanted = set().union(*(_placeholders(i) for i in ids))
        for text in strings:
            assert text, f"no Dutch for {key}"
            assert _placeholders(text) == wanted, key


# English words that must not be in the Dutch frame (whole words, any case); not "of" and "open", which are Dutch.
ENGLISH = (
    "does not", "may", "receive", "allowed", "denied", "flow", "flows", "finding", "findings", "fields", "fix",
    "fixes", "waiver", "waivers", "waived", "summary", "checked", "approved", "until", "expires", "recipient",
    "purpose", "document sent", "the", "and", "none", "yes", "when", "verdict", "verdicts",
    "warning", "warnings", "matrix cell", "diagram", "generated", "policy pack", "sign-off", "signature", "role",
    "date", "where", "what", "law", "from", "to", "input errors", "not checked", "data categories", "dashed",
    "each", "arrow", "requested", "whole", "missing", "lawful", "source", "controller",
)  # fmt: skip
_ENGLISH = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b", re.IGNORECASE)

MASK = "⟪⟫"
"""What every text of messages.Texts reads as in this test: the findings, their fixes, the law and the names of
ids are the findings' and the catalogue's own words, tested in their own tests; what is left is the audit's frame."""


def _audit(out: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    # The audit of the examples (and one invalid file, for the input errors) in Dutch, run in this process so that
    # a test can stand in for what messages.Texts returns.
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    monkeypatch.chdir(ROOT)
    try:
        result = CliRunner().invoke(
            cli.main,
            [
                "audit", "--out", str(out), "--today", "2026-11-28",
                "--waivers", "examples/waivers/gemeente.waivers.yaml",
                "examples/", "tests/data/contract-invalid.flow.yaml",
            ],
        )  # fmt: skip
        assert result.exit_code == 2, result.output  # the input error of the invalid file
        yield out
    finally:
        i18n.use(Lang.EN)  # the CLI set the process language from the environment


@pytest.fixture
def dutch_frame(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opa_binary: str) -> Iterator[Path]:
    for method in ("message", "fix", "title", "rule_title", "rule_description", "law", "name"):
        monkeypatch.setattr(Texts, method, lambda self, *args: MASK)
    # The counts table and the input errors of report.md are the PR comment's (checker/format), tested there.
    monkeypatch.setattr(markdown, "counts_table", lambda report: [MASK])
    monkeypatch.setattr(markdown, "input_errors", lambda report: [MASK])
    yield from _audit(tmp_path / "audit", monkeypatch)


@pytest.fixture
def named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opa_binary: str) -> Iterator[Path]:
    # Names as the labels catalogue will give them: «id» makes each visible.
    monkeypatch.setattr(Texts, "name", lambda self, kind, ident: f"«{kind}:{ident}»")
    yield from _audit(tmp_path / "audit", monkeypatch)


def test_a_person_reads_ids_by_their_names_and_keys_stay_ids(named: Path) -> None:
    page = (named / "report.html").read_text(encoding="utf-8")
    # The matrix: recipients and documents by name, its reasons name the fields and the missing legal bases.
    matrix = page[page.index('<table id="matrix"') :]
    assert "<th>«documents:beschikking_toewijzend»</th>" in matrix
    assert "<tr><td>«partners:GEMEENTE»</td>" in matrix
    assert "(field_not_needed): «fields:asielmotief»" in matrix
    assert "(legal_basis_incomplete): «legal_bases:vw_107a»" in matrix
    assert "toegestaan: «forms:extract» · gevraagd: «forms:extract»" in matrix
    # The flows: partners, document, form, purpose and categories by name; the flow id is a key and stays.
    assert (
        "<tr><td>ind-coa-afwijzing-integraal</td><td>«partners:IND»</td><td>«partners:COA»</td>"
        "<td>«documents:beschikking_afwijzend»</td><td>«forms:integral»</td><td>«purposes:einde_opvang»</td>"
    ) in page
    # The diagram: partner ids in the boxes (short, as the chain knows them), names in the tooltip and the arrows.
    assert '<g class="node" data-partner="COA"><title>COA: «partners:COA»</title>' in page
    assert "3 ✗ geweigerd §9/10: «documents:beschikking_afwijzend», «documents:beschikking_toewijzend»" in page
    report = (named / "report.md").read_text(encoding="utf-8")
    assert 'COA["COA<br/>«partners:COA»"]' in report
    assert "| «severities:error» | field_not_needed |" in report
    rows = list(csv.DictReader(io.StringIO((named / "register.csv").read_text(encoding="utf-8-sig"))))
    seed = next(r for r in rows if r["Verstrekking"] == "ind-coa-afwijzing-integraal")
    assert (seed["Verwerkingsverantwoordelijke"], seed["Ontvanger"], seed["Grondslag"]) == (
        "IND",
        "COA",
        "avg_6_1_c;vw_107_4;vv_7_1e",
    )
    assert (seed["Document"], seed["Doel(en) van de verwerking"]) == (
        "«documents:beschikking_afwijzend»",
        "«purposes:einde_opvang»",
    )
    assert seed["Verwerkingsactiviteit"] == "IND · «purposes:einde_opvang»"
    assert seed["Persoonsgegevens"].startswith("«fields:")


def _users_words(text: str) -> str:
    # What the user wrote is not the audit's to translate: the waiver's justification (from the waiver file) and
    # the input errors (the loader's, tested with the command line's messages) are left out of the scan.
    waivers = yaml.safe_load((ROOT / "examples/waivers/gemeente.waivers.yaml").read_text(encoding="utf-8"))
    for waiver in waivers["waivers"]:
        text = text.replace(waiver["justification"], " ")
    return re.sub(r'(<table id="errors".*?<tbody>).*?(</tbody>)', r"\1\2", text, flags=re.DOTALL)


def _visible(page: str) -> str:
    # What a person reads of a page: its text and the tooltips, labels and placeholders, not the style or script.
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.DOTALL)
    attributes = re.findall(r'\s(?:title|aria-label|placeholder)="([^"]*)"', page)
    titles = re.findall(r"<title>(.*?)</title>", page, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(" ".join([text, *attributes, *titles]))


# Rule ids are code (field_not_needed, ...); flow ids and file names are the user's: not words to translate.
_IDS = re.compile(r"[\w./-]*(?:/|\.yaml)[\w./-]*|\b\w+_\w+\b|\b\w+(?:-\w+)+\b")


def test_the_frame_of_the_dutch_audit_has_no_english_words(dutch_frame: Path) -> None:
    page = (dutch_frame / "report.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in page
    assert page.count(MASK) > 50  # the findings and names were there, masked
    visible = _visible(_users_words(page))
    visible = _IDS.sub(" ", visible)
    assert sorted(set(_ENGLISH.findall(visible))) == []
    assert "Samenvatting" in visible and "Ondertekening" in visible and "Fouten in de invoer" in visible
    report = _users_words((dutch_frame / "report.md").read_text(encoding="utf-8"))
    # The Mermaid keywords are code; the diagram's words (arrow labels) are checked in the page above.
    report = re.sub(r"```mermaid.*?```", " ", report, flags=re.DOTALL)
    report = _IDS.sub(" ", re.sub(r"`[^`]*`", " ", report))
    assert sorted(set(_ENGLISH.findall(report))) == []
    header = (dutch_frame / "register.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert sorted(set(_ENGLISH.findall(header))) == []


def test_the_scan_finds_english_in_a_frame() -> None:
    # The scan can fail: the English page's frame is full of the words it looks for.
    assert {"flows", "allowed", "denied", "summary"} <= {w.lower() for w in _ENGLISH.findall(
        _visible("<h2>Summary</h2><div>19 flows: 14 allowed, 5 denied</div>")
    )}  # fmt: skip


@pytest.fixture
def dutch() -> Iterator[None]:
    i18n.use(Lang.NL)
    try:
        yield
    finally:
        i18n.use(Lang.EN)


def _waiver(expires: str, status: WaiverStatus) -> WaiverResult:
    waiver = Waiver(
        FlowId("f"),
        RuleName("field_not_needed"),
        "why",
        "FG",
        "DPIA-1",
        datetime.date.fromisoformat(expires),
        "w.yaml",
        1,
    )
    return WaiverResult(waiver, status)


@pytest.mark.usefixtures("dutch")
def test_the_waivers_a_director_must_know_of_are_said_in_dutch_one_day_or_many() -> None:
    waivers = (
        _waiver("2026-11-29", WaiverStatus.APPLIED),
        _waiver("2026-12-28", WaiverStatus.UNBOUND),
        _waiver("2027-06-30", WaiverStatus.APPLIED),
        _waiver("2026-11-01", WaiverStatus.EXPIRED),
    )
    chain = view.build(Report((), (), waivers=waivers), {})
    notes = [note for _, note in chain.waivers_due(datetime.date(2026, 11, 28))]
    assert notes == [
        "lopend, verloopt over 1 dag",
        "lopend, verloopt over 30 dagen",
        "lopend",
        "verlopen: geldt voor geen enkele bevinding",
    ]


def test_the_same_waivers_in_english_as_before_but_one_day_is_a_day() -> None:
    waivers = (_waiver("2026-11-29", WaiverStatus.APPLIED), _waiver("2026-12-28", WaiverStatus.APPLIED))
    chain = view.build(Report((), (), waivers=waivers), {})
    # Before: "open, expires in 1 days"; ngettext gives each language its plural.
    assert [note for _, note in chain.waivers_due(datetime.date(2026, 11, 28))] == [
        "open, expires in 1 day",
        "open, expires in 30 days",
    ]


@pytest.mark.usefixtures("dutch")
def test_a_value_put_into_a_translated_text_is_escaped() -> None:
    # newstyle gettext: the catalogue's text is the template's own, each value put into it is escaped as any other.
    environment = audit_html._environment()
    rendered = environment.from_string(
        "{% trans when=v %}{{ when }} (law and waivers as of {{ generated }}){% endtrans %}"
    )
    assert rendered.render(v="<b>&", generated="<i>") == (
        "&lt;b&gt;&amp; (wetten en ontheffingen zoals ze gelden op &lt;i&gt;)"
    )
    assert environment.from_string('{{ _("Summary") }} {{ v }}').render(v="<x>") == "Samenvatting &lt;x&gt;"
