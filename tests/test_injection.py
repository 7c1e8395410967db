"""Injection into what people and CI read (issue 12, items 7-9), through the real CLI and the real opa.

Flow ids are restricted by the schema; file names, partner and document ids, list items, DPIA references and
waiver fields are not, and each of them reaches some output. Here they carry CI workflow commands, terminal
escapes, Markdown that would close a code fence or mention a team, Mermaid syntax, spreadsheet formulas and
control characters that XML cannot hold.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own report in a test
from pathlib import Path

import pytest
from junitparser import JUnitXml

from tests.conftest import INTEGRAL, LAWFUL, run_cli, write

pytestmark = pytest.mark.opa

# Control characters no output line may carry raw (the line feeds ketencheck writes itself are allowed).
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202e]")
FORMATS = ("text", "github", "markdown", "junit")

# A committed file name that, echoed raw, writes three workflow commands at the start of CI log lines.
COMMAND_NAME = "ok\n::add-mask::DENY\n::error file=x::injected\n::notice::x.flow.yaml"

HOSTILE_ITEMS = """\
version: 1
flows:
  - id: ind-coa-hostile
    from: IND
    to: COA
    document: beschikking_afwijzend
    form: extract
    fields:
      - v_nummr
      - "\\e]8;;http://evil.example\\e\\\\click\\e]8;;\\e\\\\ \\e[31mred\\e[0m \\x9b2J \\x01"
      - "zz\\n```\\n# Approved by security\\n@org/security-team ![x](http://evil.example/p.png)\\n```"
    purpose: einde_opvang
    legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e]
"""


def _lines_starting_with_a_command(text: str) -> list[str]:
    # The GitHub runner trims leading white space before it looks for `::`.
    return [line for line in text.split("\n") if line.lstrip().startswith("::")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_committed_file_name_writes_no_workflow_command(tmp_path: Path, fmt: str) -> None:
    write(tmp_path, COMMAND_NAME, LAWFUL)
    done = run_cli("check", "--format", fmt, str(tmp_path))
    assert done.returncode == 0, done.stderr  # the flow is lawful: only the name is hostile
    # Before: `::add-mask::DENY`, `::error ...` and `::notice::` each started a line of the text report.
    assert _lines_starting_with_a_command(done.stdout) == []
    assert not RAW_CONTROL.search(done.stdout)
    if fmt == "text":
        assert "ok\\n::add-mask::DENY\\n::error file=x::injected\\n::notice::x.flow.yaml" in done.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_terminal_escapes_in_list_items_are_shown_not_obeyed(tmp_path: Path, fmt: str) -> None:
    flows = write(tmp_path, "hostile.flow.yaml", HOSTILE_ITEMS)
    done = run_cli("check", "--format", fmt, str(flows))
    assert done.returncode == 1, done.stderr
    # Before: the OSC 8 link, the CSI colour, an 8-bit CSI and SOH reached the terminal as they were.
    assert not RAW_CONTROL.search(done.stdout), repr(RAW_CONTROL.search(done.stdout))
    assert _lines_starting_with_a_command(done.stdout) == [] or fmt == "github"
    if fmt == "github":
        assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in done.stdout.splitlines()[:-1])
    if fmt == "text":
        assert "\\x1b]8;;http://evil.example\\x1b\\click" in done.stdout
        assert "\\x9b2J \\x01" in done.stdout


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_formats_escape_what_json_encoders_let_through(tmp_path: Path, fmt: str) -> None:
    flows = write(tmp_path, "hostile.flow.yaml", HOSTILE_ITEMS)
    done = run_cli("check", "--format", fmt, str(flows))
    assert done.returncode == 1, done.stderr
    assert not RAW_CONTROL.search(done.stdout)  # before: U+009B (8-bit CSI) was written raw
    assert "\\u009b2J" in done.stdout
    json.loads(done.stdout)  # still the same data


def test_waiver_fields_are_escaped(tmp_path: Path) -> None:
    flows = write(tmp_path, "integral.flow.yaml", INTEGRAL)
    waivers = write(
        tmp_path,
        "w.waivers.yaml",
        "version: 1\nwaivers:\n  - flow: ind-coa-integraal\n    rule: integral_not_proportional\n"
        '    justification: "Accepted for now \\e]0;pwned\\a until the extract is built"\n'
        '    approver: "FG\\n::error::approved by the FG"\n'
        '    dpia: "DPIA-1\\n::add-mask::DENY"\n'
        "    expires: 2099-12-31\n",
    )
    for fmt in FORMATS:
        done = run_cli("check", "--format", fmt, "--waivers", str(waivers), str(flows))
        assert done.returncode in (0, 1), done.stderr
        assert not RAW_CONTROL.search(done.stdout), fmt
        assert [
            c for c in _lines_starting_with_a_command(done.stdout) if c.startswith(("::error::", "::add-mask"))
        ] == []


def test_error_messages_on_stderr_are_one_line(tmp_path: Path) -> None:
    flows = write(tmp_path, "ok.flow.yaml", LAWFUL)
    done = run_cli("check", "--waivers", "missing\n::error::injected\x1b[2J.yaml", str(flows))
    assert done.returncode == 2
    # Before: the message went over two lines, the second one a workflow command, with a raw ESC.
    assert done.stderr.count("\n") == 1
    assert "missing\\n::error::injected\\x1b[2J.yaml: waiver file not found" in done.stderr


def test_explain_shows_escapes_not_terminal_controls(tmp_path: Path) -> None:
    flows = write(tmp_path, "hostile.flow.yaml", HOSTILE_ITEMS)
    done = run_cli("explain", "ind-coa-hostile", str(flows))
    assert done.returncode == 1, done.stderr
    assert not RAW_CONTROL.search(done.stdout)  # before: the messages quoted the items with their ESCs
    assert "\\x1b]8;;http://evil.example" in done.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_loader_errors_quote_values_escaped(tmp_path: Path, fmt: str) -> None:
    # The schema error names the unknown key, which here holds a workflow command and a terminal escape.
    broken = LAWFUL.replace("    retention: P4W\n", '    "x\\n::error::injected\\e[8m": 1\n')
    write(tmp_path, "broken.flow.yaml", broken)
    done = run_cli("check", "--format", fmt, str(tmp_path))
    assert done.returncode == 2, done.stderr
    assert "injected" in done.stdout
    assert _lines_starting_with_a_command(done.stdout) == [] or fmt == "github"
    assert [c for c in _lines_starting_with_a_command(done.stdout) if c.startswith("::error::injected")] == []
    assert not RAW_CONTROL.search(done.stdout)


# Markdown (item 8).


def _outside_code(markdown: str) -> str:
    """The Markdown with fenced code blocks removed, fences closed as CommonMark closes them."""
    kept: list[str] = []
    fence = ""
    for line in markdown.split("\n"):
        run = re.match(r" {0,3}(`{3,})", line)
        if fence:
            if run and run.group(1).startswith(fence) and line.strip() == run.group(1):
                fence = ""
        elif run:
            fence = run.group(1)
        else:
            kept.append(line)
    assert fence == "", "a code fence is never closed"
    return "\n".join(kept)


def test_a_list_item_cannot_close_the_fix_fence_or_mention_a_team(tmp_path: Path) -> None:
    flows = write(tmp_path, "hostile.flow.yaml", HOSTILE_ITEMS)
    done = run_cli("check", "--format", "markdown", str(flows))
    assert done.returncode == 1, done.stderr
    prose = _outside_code(done.stdout)
    # Before: the item closed the ```yaml fence; a heading, a team mention and an image followed as Markdown.
    assert [line for line in prose.split("\n") if line.startswith("#")] == [
        "## ketencheck",
        "### Findings",
        "### Fixes",
    ]
    assert "@org/security-team" not in prose
    assert "@\u200borg/security-team" in prose
    assert "![" not in prose
    # The fix keeps the item, quoted on one line, inside the code block.
    assert 'fields: [v_nummer, "\\u001b]8;;' in done.stdout


def _cells(row: str) -> int:
    return len(re.findall(r"(?<!\\)\|", row)) - 1


def test_a_file_name_cannot_break_the_findings_table(tmp_path: Path) -> None:
    name = "a`b|c\nd`.flow.yaml"
    write(tmp_path, name, INTEGRAL)
    done = run_cli("check", "--format", "markdown", str(tmp_path))
    assert done.returncode == 1, done.stderr
    lines = done.stdout.split("\n")
    header = lines.index("| flow | where | rule | law | what |")
    rows = [line for line in lines[header + 2 :] if line.startswith("|")]
    assert rows
    # Before: the newline ended the row, and the pipe added a column.
    assert all(_cells(row) == 5 for row in rows), rows
    assert "``a`b\\|c\\nd`.flow.yaml:3``" in done.stdout.replace(str(tmp_path) + "/", "")


def test_mermaid_node_ids_and_labels_are_sanitised(tmp_path: Path) -> None:
    hostile = LAWFUL.replace("to: COA", 'to: "X[\\"pwn\\"]\\n```\\nclick IND \\"http://evil.example\\"\\nend"')
    write(tmp_path, "p.flow.yaml", hostile)
    out = tmp_path / "audit"
    done = run_cli("audit", "--out", str(out), str(tmp_path / "p.flow.yaml"))
    assert done.returncode == 1, done.stderr
    report = (out / "report.md").read_text(encoding="utf-8")
    block = report.split("```mermaid\n", 1)[1].split("\n```\n", 1)[0].split("\n")
    # Before: the partner id was the node id, and its newline and fence ended the diagram early.
    assert block[0] == "flowchart LR"
    for line in block[1:]:
        assert re.fullmatch(
            r'  [A-Za-z][A-Za-z0-9_]*(\[".*"\]| -(-|\.-)>\|".*"\| [A-Za-z][A-Za-z0-9_]*)|  linkStyle .*', line
        ), line
    assert any(re.match(r'  p\d+\["X\[#quot;pwn#quot;\]\\n#96;#96;#96;\\nclick', line) for line in block), block
    _outside_code(report)


# CSV and JUnit (item 9).


def test_register_cells_cannot_be_formulas(tmp_path: Path) -> None:
    hostile = (
        LAWFUL.replace("to: COA", 'to: "-2+3"')
        .replace("legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e]", 'legal_basis: [avg_6_1_c, "@SUM(1+1)", "+1"]')
        .replace("    retention: P4W\n", '    retention: P4W\n    dpia: \'=HYPERLINK("http://evil.example","x")\'\n')
    )
    write(tmp_path, "p.flow.yaml", hostile)
    out = tmp_path / "audit"
    done = run_cli("audit", "--out", str(out), str(tmp_path / "p.flow.yaml"))
    assert done.returncode == 1, done.stderr
    rows = list(csv.DictReader(io.StringIO((out / "register.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 1
    row = rows[0]
    # Before: the DPIA cell was =HYPERLINK(...) itself, a formula to every spreadsheet.
    assert row["dpia"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["recipient"] == "'-2+3"
    assert row["legal_basis"] == "avg_6_1_c;'@SUM(1+1);'+1"
    for name, value in row.items():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), name
        assert not any(item.startswith(("=", "+", "-", "@")) for item in value.split(";")), name
    # register.json keeps the data as it is: JSON is not a spreadsheet.
    entry = json.loads((out / "register.json").read_text(encoding="utf-8"))["activities"][0]
    assert entry["dpia"] == '=HYPERLINK("http://evil.example","x")'


def test_junit_always_parses(tmp_path: Path) -> None:
    flows = write(tmp_path, "hostile.flow.yaml", HOSTILE_ITEMS)
    write(tmp_path, "e\x1bvil\x01.flow.yaml", INTEGRAL.replace("ind-coa-integraal", "ind-coa-integraal-2"))
    done = run_cli("check", "--format", "junit", str(flows), str(tmp_path / "e\x1bvil\x01.flow.yaml"))
    assert done.returncode == 1, done.stderr
    # Before: ElementTree wrote ESC and SOH as they were, and no XML parser accepts the report.
    root = ET.fromstring(done.stdout.split("\n", 1)[1])  # noqa: S314 - our own output
    assert root.get("failures") == "2"
    report = tmp_path / "report.xml"
    report.write_text(done.stdout, encoding="utf-8")
    suites = JUnitXml.fromfile(str(report))
    assert sum(1 for _ in suites) == 2
    assert "e\\x1bvil\\x01.flow.yaml" in done.stdout
