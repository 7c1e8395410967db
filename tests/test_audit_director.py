"""The audit a privacy officer hands to a director (issue 16, items 13-15): a diagram that reads on paper, a
summary and a sign-off first and last, matrix cells that say why, and a register of what may happen."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from checker.audit.register import COLUMNS, NOT_IN_REGISTER
from tests.conftest import ROOT, run_cli, write

pytestmark = pytest.mark.opa


@pytest.fixture(scope="module")
def audit_dir(tmp_path_factory: pytest.TempPathFactory, opa_binary: str) -> Path:
    out = tmp_path_factory.mktemp("audit")
    config = out.parent / "register.yaml"
    config.write_text(
        "controllers:\n"
        "  IND:\n"
        "    name: Immigratie- en Naturalisatiedienst\n"
        "    contact: privacy@ind.example\n"
        "    fg: FG IND, fg@ind.example\n",
        encoding="utf-8",
    )
    done = run_cli(
        "audit", "--out", str(out), "--today", "2026-11-28", "--register-config", str(config),
        "--waivers", "examples/waivers/gemeente.waivers.yaml", "examples/",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    return out


def _edges(html: str, sender: str, recipient: str) -> list[str]:
    return re.findall(rf'<g class="edge edge-\w+" data-from="{sender}" data-to="{recipient}">.*?</g>', html)


def test_a_pairs_allowed_and_denied_flows_are_drawn_apart_and_labelled_in_words(audit_dir: Path) -> None:
    html = (audit_dir / "report.html").read_text(encoding="utf-8")
    # Before: one red dashed arrow "6 §9/10" for IND -> COA, although three of the six are lawful extracts.
    allowed, denied = _edges(html, "IND", "COA")
    assert 'class="edge edge-allow"' in allowed and "stroke-dasharray" not in allowed
    assert 'class="edge edge-deny"' in denied and "stroke-dasharray" in denied
    # The documents are on the arrow itself (SVG text, printed), not only in a tooltip.
    label = re.search(r'<text [^>]*class="edge-label"[^>]*>([^<]*)</text>', allowed)
    assert label is not None
    assert label.group(1) == "3 ✓ allowed: beschikking_afwijzend, beschikking_toewijzend, voornemen_afwijzing"
    assert "3 ✗ denied §9/10: " in denied
    # And once more as a table, legible on paper where labels cross.
    assert (
        '<tr><td>IND</td><td>COA</td><td class="deny">✗ denied</td><td>3</td>'
        "<td>beschikking_afwijzend, beschikking_toewijzend, voornemen_afwijzing</td><td>yes</td></tr>"
    ) in html
    # The legend names each verdict with a mark, not by colour alone.
    legend = html[html.index('<g class="legend"') :]
    assert "✓ allowed" in legend and "✗ denied" in legend and "dashed: special-category" in legend
    md = (audit_dir / "report.md").read_text(encoding="utf-8")
    assert 'IND -->|"3 ✓ allowed: beschikking_afwijzend, beschikking_toewijzend, voornemen_afwijzing"| COA' in md
    assert 'IND -.->|"3 ✗ denied §9/10: ' in md


def test_the_page_prints_and_opens_with_a_summary_for_a_director_and_ends_with_a_sign_off(audit_dir: Path) -> None:
    html = (audit_dir / "report.html").read_text(encoding="utf-8")
    assert "@media print{" in html
    summary = html[html.index('<section id="summary">') : html.index("</section>")]
    assert html.index('<section id="summary">') < html.index('<svg id="diagram"')
    assert "<dd>examples/</dd>" in summary
    assert re.search(r"<dd>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(law and waivers as of 2026-11-28\)</dd>", summary)
    assert re.search(r"<dd>vreemdelingenketen 1\.1\.0, revision 1\.1\.0\+[0-9a-f]{12}, bundled</dd>", summary)
    assert "19 flows: 14 allowed, 5 denied, 1 waived; 0 input errors" in summary
    assert "<b>special_category_data</b> denies 4 flows" in summary
    assert "coa-gemeente-huisvesting (aggregation_purpose_separation), approved by FG, until 2027-06-30" in summary
    signoff = html[html.index('<section id="signoff">') :]
    for line in ("<th>name</th>", "<th>role</th>", "<th>date</th>"):
        assert line in signoff
    md = (audit_dir / "report.md").read_text(encoding="utf-8")
    assert md.index("## Summary") < md.index("## Flow diagram")
    assert md.rstrip().endswith("| signature | |")


def test_a_denied_matrix_cell_says_why(audit_dir: Path) -> None:
    page = (audit_dir / "report.html").read_text(encoding="utf-8")
    html = page[page.index('<table id="matrix"') :]
    row = re.search(r"<tr><td>GEMEENTE</td>.*?</tr>", html)
    assert row is not None
    # Before: "allowed: extract · requested: extract" in red, and nothing about the field that is too much.
    assert '<span class="why">✗ fields not needed (field_not_needed): asielmotief</span>' in row.group(0)
    coa = re.search(r"<tr><td>COA</td>.*?</tr>", html)
    assert coa is not None
    # The whole document is too much by the fields the row's extract leaves out, not by all of its fields.
    assert "beyond the extract (integral_not_proportional): asielmotief, geslacht, motivering, nationaliteit<" in (
        coa.group(0)
    )
    md = (audit_dir / "report.md").read_text(encoding="utf-8")
    assert "<br/>✗ legal bases missing (legal_basis_incomplete): vw_107a" in md


def test_the_register_lists_denied_flows_apart_grouped_by_activity_with_contacts(audit_dir: Path) -> None:
    raw = (audit_dir / "register.csv").read_bytes()
    # RFC 4180 line ends, and a byte order mark so that Excel reads UTF-8.
    assert raw.startswith(b"\xef\xbb\xbfflow,file,")
    assert raw.count(b"\r\n") == 20 and raw.count(b"\n") == 20
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    flags = [r["in_register"] for r in rows]
    assert flags == ["yes"] * 14 + [NOT_IN_REGISTER] * 5
    assert all(r["verdict"] == "deny" for r in rows[14:])
    activities = [(r["controller"], r["purpose"]) for r in rows[:14]]
    assert activities == sorted(activities)
    ind = next(r for r in rows if r["controller"] == "IND")
    assert (ind["controller_contact"], ind["fg_contact"]) == ("privacy@ind.example", "FG IND, fg@ind.example")
    assert ind["processing_activity"] == f"IND · {ind['purpose']}"
    coa = next(r for r in rows if r["controller"] == "COA")
    assert (coa["controller_name"], coa["fg_contact"]) == ("Centraal Orgaan opvang asielzoekers", "")
    document = json.loads((audit_dir / "register.json").read_text(encoding="utf-8"))
    assert [a["in_register"] for a in document["activities"]] == flags


def test_the_register_xlsx_has_typed_columns_a_filter_and_a_frozen_header(audit_dir: Path) -> None:
    book = load_workbook(audit_dir / "register.xlsx")
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header == [name for name, _ in COLUMNS]
    assert sheet.auto_filter.ref == f"A1:AB{sheet.max_row}"
    assert sheet.freeze_panes == "B2"
    assert sheet.max_row == 20
    line, volume = header.index("line") + 1, header.index("volume") + 1
    bz = next(r for r in range(2, 21) if sheet.cell(r, header.index("recipient") + 1).value == "BZ")
    assert sheet.cell(bz, volume).value == 2500 and sheet.cell(bz, volume).data_type == "n"
    assert isinstance(sheet.cell(bz, line).value, int)
    assert sheet.cell(bz, header.index("data_fields") + 1).value == "v_nummer;naam;nationaliteit;asielmotief"
    csv_rows = list(csv.reader(io.StringIO((audit_dir / "register.csv").read_text(encoding="utf-8-sig"))))
    for r, values in enumerate(csv_rows[1:], start=2):
        for c, value in enumerate(values, start=1):
            assert str(sheet.cell(r, c).value if sheet.cell(r, c).value is not None else "") == value, (r, c)


def test_no_xlsx_cell_is_a_formula_even_from_a_hostile_flow(tmp_path: Path) -> None:
    flow = (ROOT / "examples" / "seed" / "ind-coa-extracten.flow.yaml").read_text(encoding="utf-8")
    hostile = flow.replace(
        "retention: P4W\n", 'retention: P4W\n    dpia: \'=HYPERLINK("http://evil.example","x")\'\n', 1
    )
    assert hostile != flow
    write(tmp_path, "h.flow.yaml", hostile)
    out = tmp_path / "audit"
    done = run_cli("audit", "--out", str(out), str(tmp_path / "h.flow.yaml"))
    assert done.returncode in (0, 1), done.stderr
    sheet = load_workbook(out / "register.xlsx").active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    dpia = [c.value for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert dpia == ['\'=HYPERLINK("http://evil.example","x")']


@pytest.mark.parametrize(
    ("text", "problem"),
    [("controllers: [IND]\n", "a mapping with one key"), ("controllers:\n  IND: {phone: '1'}\n", "nothing else")],
)
def test_a_wrong_register_config_is_a_usage_error(tmp_path: Path, text: str, problem: str) -> None:
    config = write(tmp_path, "register.yaml", text)
    done = run_cli("audit", "--out", str(tmp_path / "out"), "--register-config", str(config), "examples/chain/")
    assert done.returncode == 2, done.stderr
    assert problem in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
