"""`ketencheck audit`: goldens for the Markdown report and the register, and the HTML drawn in headless Chromium."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from checker.audit.register import COLUMNS
from tests.conftest import KETENCHECK, ROOT, run_cli, write

pytestmark = pytest.mark.opa

EXAMPLE_PARTNERS = {"IND", "COA", "GEMEENTE", "DTV", "AVIM", "DJI", "BZ", "UWV", "ADVOCAAT", "BMA"}


@pytest.fixture(scope="module")
def audit_dir(tmp_path_factory: pytest.TempPathFactory, opa_binary: str) -> Path:
    out = tmp_path_factory.mktemp("audit")
    done = run_cli(
        "audit", "--out", str(out), "--today", "2026-11-28",
        "--waivers", "examples/waivers/gemeente.waivers.yaml", "examples/",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # the examples deny four flows; the audit is written anyway
    assert f"written to {out}/" in done.stdout
    return out


# The reader's language as the environment gives it (gettext's order): LANGUAGE, LC_ALL and LC_MESSAGES are cleared
# so that a developer's own locale does not decide which language these tests read.
DUTCH = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "nl_NL.UTF-8"}


@pytest.fixture(scope="module")
def nl_audit_dir(tmp_path_factory: pytest.TempPathFactory, opa_binary: str) -> Path:
    out = tmp_path_factory.mktemp("audit-nl")
    done = run_cli(
        "audit", "--out", str(out), "--today", "2026-11-28",
        "--waivers", "examples/waivers/gemeente.waivers.yaml", "examples/", env=DUTCH,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    return out


def test_the_markdown_report(audit_dir: Path, golden: Callable[[str, str], None]) -> None:
    text = (audit_dir / "report.md").read_text(encoding="utf-8")
    # The header names the pack as the text report does; its revision changes with every policy edit.
    assert re.search(r"Policy pack vreemdelingenketen 1\.1\.0, revision 1\.1\.0\+[0-9a-f]{12}, bundled · ", text)
    # The summary says when the run was made, to the second: the golden has a placeholder.
    text = re.sub(r"^- When: \S+ \S+ UTC ", "- When: <checked at> ", text, count=1, flags=re.MULTILINE)
    golden("audit.report.md", re.sub(r"revision [^,]*,", "revision <revision>,", text))


def test_the_markdown_report_in_dutch(nl_audit_dir: Path, golden: Callable[[str, str], None]) -> None:
    text = (nl_audit_dir / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# ketencheck audit: de keten in één oogopslag\n")
    text = re.sub(r"^- Wanneer: \S+ \S+ UTC ", "- Wanneer: <checked at> ", text, count=1, flags=re.MULTILINE)
    golden("audit.report.nl.md", re.sub(r"revisie [^,]*,", "revisie <revision>,", text))


def test_the_register_csv_in_dutch_has_the_headers_of_the_model_register(
    nl_audit_dir: Path, golden: Callable[[str, str], None]
) -> None:
    text = (nl_audit_dir / "register.csv").read_text(encoding="utf-8-sig")
    golden("audit.register.nl.csv", text)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 19
    # The terms of the Autoriteit Persoonsgegevens' model verwerkingsregister, in the same order as the English.
    assert list(rows[0])[5:14] == [
        "Verwerkingsactiviteit",
        "Verwerkingsverantwoordelijke",
        "Naam verwerkingsverantwoordelijke",
        "Contactgegevens verwerkingsverantwoordelijke",
        "Naam en contactgegevens functionaris gegevensbescherming",
        "Ontvanger",
        "Categorieën van ontvangers",
        "Doel(en) van de verwerking",
        "Wettelijke taak",
    ]
    seed = next(r for r in rows if r["Verstrekking"] == "ind-coa-afwijzing-integraal")
    assert (seed["Bijzondere persoonsgegevens"], seed["Oordeel"], seed["In register"]) == (
        "ja",
        "geweigerd",
        "nee: geweigerd, deze verwerking mag niet plaatsvinden",
    )
    # The machine's register keeps its English keys and values whatever the reader's language.
    english = json.loads((nl_audit_dir / "register.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in english["columns"]] == [name for name, _ in COLUMNS]
    assert {a["verdict"] for a in english["activities"]} == {"allow", "deny"}


def test_the_xlsx_register_in_dutch_has_the_csvs_headers(nl_audit_dir: Path) -> None:
    sheet = load_workbook(nl_audit_dir / "register.xlsx").active
    assert sheet is not None
    header = next(csv.reader(io.StringIO((nl_audit_dir / "register.csv").read_text(encoding="utf-8-sig"))))
    assert [c.value for c in sheet[1]] == header
    volume = header.index("Aantal per jaar") + 1
    assert any(sheet.cell(r, volume).data_type == "n" for r in range(2, sheet.max_row + 1))


@pytest.mark.parametrize(("directory", "lang"), [("audit_dir", "en"), ("nl_audit_dir", "nl")])
def test_the_page_says_its_language(directory: str, lang: str, request: pytest.FixtureRequest) -> None:
    html = (request.getfixturevalue(directory) / "report.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in html


def test_the_dutch_legend_makes_room_for_its_longer_words(audit_dir: Path, nl_audit_dir: Path) -> None:
    english = (audit_dir / "report.html").read_text(encoding="utf-8")
    dutch = (nl_audit_dir / "report.html").read_text(encoding="utf-8")
    # English as before: keys 150px apart, the dashed key on the same line.
    assert '<text x="186" y="4">! allowed, warning</text>' in english
    assert '<text x="486" y="4">dashed: special-category or criminal data (§9/10)</text>' in english
    # Before: "! toegestaan, waarschuwing" ran into "✗ geweigerd", and the dashed key ran off the drawing.
    warn = re.search(r'<text x="(\d+)" y="4">! toegestaan, waarschuwing</text><line x1="(\d+)"', dutch)
    assert warn is not None
    assert int(warn.group(2)) - int(warn.group(1)) >= 7 * len("! toegestaan, waarschuwing")
    assert '<text x="36" y="22">gestippeld: bijzondere of strafrechtelijke persoonsgegevens (§9/10)</text>' in dutch


def test_both_reports_name_the_pack_in_use_with_revision_and_source(tmp_path: Path, opa_binary: str) -> None:
    out = tmp_path / "audit"
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "policies", pack)
    done = run_cli("audit", "--out", str(out), "--policies", str(pack), "examples/chain/")
    assert done.returncode in (0, 1), done.stderr
    source = f"{pack} (--policies)"
    for name in ("report.md", "report.html"):
        text = (out / name).read_text(encoding="utf-8")
        assert re.search(r"vreemdelingenketen 1\.1\.0, revision 1\.1\.0\+[0-9a-f]{12}, ", text), name
        assert source in text, name


def test_the_register_csv(audit_dir: Path, golden: Callable[[str, str], None]) -> None:
    text = (audit_dir / "register.csv").read_text(encoding="utf-8-sig")
    golden("audit.register.csv", text)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 19
    assert list(rows[0]) == [name for name, _ in COLUMNS]
    seed = next(r for r in rows if r["flow"] == "ind-coa-afwijzing-integraal")
    assert (seed["special_categories"], seed["verdict"], seed["controller"], seed["recipient"]) == (
        "yes",
        "deny",
        "IND",
        "COA",
    )


def test_the_register_json_describes_its_columns(audit_dir: Path) -> None:
    document = json.loads((audit_dir / "register.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in document["columns"]] == [name for name, _ in COLUMNS]
    assert len(document["activities"]) == 19
    bz = next(a for a in document["activities"] if a["recipient"] == "BZ")
    assert (bz["volume"], bz["dpia"], bz["data_fields"]) == (
        2500,
        "DPIA-IND-2025-031",
        ["v_nummer", "naam", "nationaliteit", "asielmotief"],
    )


def test_every_register_column_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, _ in COLUMNS:
        assert f"| `{name}` |" in readme, name


def test_the_html_is_self_contained(audit_dir: Path) -> None:
    html = (audit_dir / "report.html").read_text(encoding="utf-8")
    # No external assets: nothing to fetch, so it opens offline and leaks nothing.
    assert not re.search(r"""src\s*=\s*["']?(https?:)?//""", html)
    # The only outside addresses are links a reader may follow to the official text of the law cited.
    for match in re.finditer(r"""<(\w+)[^>]*\shref\s*=\s*["']?((https?:)?//[^"' >]*)""", html):
        assert match.group(1) == "a", match.group(0)
        assert match.group(2).startswith(("https://wetten.overheid.nl/", "https://eur-lex.europa.eu/")), match.group(0)
    assert "<link" not in html
    assert "@import" not in html
    assert "url(http" not in html


def test_the_html_links_each_citation_to_the_text_of_the_evaluation_date(audit_dir: Path) -> None:
    html = (audit_dir / "report.html").read_text(encoding="utf-8")
    lid_10 = (
        '<a href="https://wetten.overheid.nl/jci1.3:c:BWBR0011823&amp;hoofdstuk=8&amp;paragraaf=1&amp;artikel=107'
        '&amp;lid=10&amp;z=2026-11-28&amp;g=2026-11-28" rel="noopener noreferrer">Vw 2000 art. 107(10)</a>'
    )
    assert lid_10 in html
    assert "AVG art. 5(1)(c) <em>(text not verified)</em></a>" in html


def _chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: in CI this is a failure (`make test` installs Debian's chromium)")
        pytest.skip("chromium not installed (run `make chromium`)")
    return found


# No network, no first-run work, a fresh profile: the flags a locked-down machine needs.
_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


@pytest.mark.parametrize(("directory", "lang"), [("audit_dir", "en"), ("nl_audit_dir", "nl")])
def test_chromium_draws_the_diagram_and_the_matrix(
    directory: str, lang: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    chromium = _chromium()
    url = (request.getfixturevalue(directory) / "report.html").as_uri()
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    # --enable-logging=stderr: Chromium writes every console message (console.error, an uncaught exception of the
    # page's script) to stderr as INFO:CONSOLE; the page has none.
    dumped = subprocess.run(
        [chromium, *_FLAGS, *profile, "--enable-logging=stderr", "--v=0", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    dom = dumped.stdout
    assert [line for line in dumped.stderr.splitlines() if ":CONSOLE" in line] == []
    assert f'<html lang="{lang}">' in dom
    drawn = set(re.findall(r'<g class="node" data-partner="([A-Z]+)"', dom))
    assert drawn == EXAMPLE_PARTNERS
    # One arrow per sender and recipient, two where a pair has allowed and denied flows (IND->COA, IND->DTV,
    # COA->GEMEENTE).
    assert len(re.findall(r"<g class=\"edge edge-(allow|warn|deny)\"", dom)) == 15
    assert dom.count('class="cell-deny"') == 5  # COA x3, GEMEENTE and DTV's inreisverbod, where flows were denied
    shot = tmp_path / "audit.png"
    subprocess.run(
        [chromium, *_FLAGS, *profile, "--window-size=1280,2600", f"--screenshot={shot}", url],
        capture_output=True,
        timeout=120,
        check=True,
    )
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 2600)
    # The diagram sits below the director's summary: measure how much of it is not page background.
    width, height = image.size
    pixels = image.load()
    assert pixels is not None
    background = pixels[5, 5]
    diagram = [(x, y) for x in range(60, 920, 3) for y in range(720, 1300, 3)]
    drawn_area = sum(1 for x, y in diagram if pixels[x, y] != background) / len(diagram)
    assert drawn_area > 0.5, drawn_area  # the white card of the diagram and what is drawn on it
    colours = Image.open(shot).convert("RGB").getcolors(maxcolors=width * height) or []
    counts = {colour: n for n, colour in colours}
    red, green = (0xC6, 0x28, 0x28), (0x2E, 0x7D, 0x32)
    assert counts.get(red, 0) > 200, "no denied arrows drawn"
    assert counts.get(green, 0) > 200, "no allowed arrows drawn"
    matrix_deny = (0xFD, 0xEC, 0xEA)
    assert counts.get(matrix_deny, 0) > 2000, "the matrix's denied cells are not drawn"


def test_policy_docs_render_every_rule_and_docs_rules_md_is_current() -> None:
    done = run_cli("policy", "docs")
    assert done.returncode == 0, done.stderr
    for rule in ("integral_not_proportional", "provenance", "dpia_required"):
        assert f"## {rule.replace('_', '-')}" in done.stdout
    assert "| AVG art. 5(1)(c); Vw 2000 art. 107(4); Vw 2000 art. 107(10) |" in done.stdout
    # The page documents the pack, so it cites the law as of the pack's catalogue date, whatever the clock says.
    assert (
        "[Vw 2000 art. 107(10)](https://wetten.overheid.nl/jci1.3:c:BWBR0011823&hoofdstuk=8&paragraaf=1&artikel=107"
        "&lid=10&z=2026-09-01&g=2026-09-01)"
    ) in done.stdout
    # The committed page is what the pack says today (regenerate: ketencheck policy docs -o docs/rules.md).
    assert done.stdout == (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def test_the_readme_table_of_rules_is_generated_from_the_metadata_and_current(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    copy = tmp_path / "README.md"
    copy.write_text(readme.replace("| `provenance` (chain) |", "| `provenance` (chain, stale) |"), encoding="utf-8")
    done = run_cli("policy", "docs", "--readme", str(copy))
    assert done.returncode == 0, done.stderr
    # The committed README says what the pack says today (regenerate: make docs).
    assert copy.read_text(encoding="utf-8") == readme
    names = {p.name for d in ("rules", "chain") for p in (ROOT / "policies" / "ketencheck" / d).iterdir() if p.is_dir()}
    for name in names:
        assert f"| `{name}`" in readme, f"{name} is missing from the README's table of rules"


def test_a_readme_without_the_markers_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "README.md"
    copy.write_text("# no table here\n", encoding="utf-8")
    done = run_cli("policy", "docs", "--readme", str(copy))
    assert done.returncode == 2
    assert "<!-- rules:start -->" in done.stderr
    assert copy.read_text(encoding="utf-8") == "# no table here\n"


def _audit_on_a_terminal(tmp_path: Path, env: dict[str, str]) -> str:
    import pty

    for n in range(60):
        (tmp_path / "flows").mkdir(parents=True, exist_ok=True)
        flow = (ROOT / "examples" / "seed" / "ind-coa-extracten.flow.yaml").read_text(encoding="utf-8")
        (tmp_path / "flows" / f"f{n:02d}.flow.yaml").write_text(flow.replace("id: ind-coa-", f"id: f{n:02d}-"))
    primary, secondary = pty.openpty()
    done = subprocess.run(
        [str(KETENCHECK), "audit", "--out", str(tmp_path / "out"), str(tmp_path / "flows")],
        stderr=secondary,
        stdout=subprocess.PIPE,
        env=env,
        timeout=120,
        check=False,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    assert done.returncode == 0, done.stdout
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_large_audit_shows_progress_on_a_terminal_and_stays_quiet_in_ci(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    assert "reading flow files" in _audit_on_a_terminal(tmp_path / "tty", env)
    assert _audit_on_a_terminal(tmp_path / "ci", {**env, "CI": "true"}) == ""


def test_each_activity_has_a_stable_versioned_id_that_changes_with_the_activity(tmp_path: Path) -> None:
    def ids(flows: str) -> dict[str, str]:
        out = tmp_path / f"out-{len(list(tmp_path.glob('out-*')))}"
        write(tmp_path, "f.flow.yaml", flows)
        done = run_cli("audit", "--out", str(out), "--today", "2026-11-28", str(tmp_path / "f.flow.yaml"))
        assert done.returncode in (0, 1), done.stderr
        document = json.loads((out / "register.json").read_text(encoding="utf-8"))
        return {a["flow"]: a["processing_activity_id"] for a in document["activities"]}

    seed = (ROOT / "examples" / "seed" / "ind-coa-extracten.flow.yaml").read_text(encoding="utf-8")
    first, again = ids(seed), ids(seed.replace("Statusgegevens na afwijzing", "Andere omschrijving"))
    assert first == again  # a description is not the activity
    assert re.fullmatch(r"pa:ind-coa-einde-opvang:[0-9a-f]{12}", first["ind-coa-einde-opvang"])
    changed = ids(seed.replace("retention: P4W", "retention: P3W"))
    assert changed["ind-coa-einde-opvang"] != first["ind-coa-einde-opvang"]
    assert changed["ind-coa-huisvesting"] == first["ind-coa-huisvesting"]
