"""report.html from its Jinja2 templates: hostile values stay text, the environment is strict, the wheel carries it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest

from checker.audit import html
from tests.conftest import INTEGRAL, ROOT, run_cli, write

TO = 'COA"><img src=x onerror=alert(1)>'
DOCUMENT = "beschikking</style><script>alert(2)</script>"
PURPOSE = "einde_opvang'><svg onload=alert(3)>"
APPROVER = "<script>alert('4')</script>"
JUSTIFICATION = "</style></title><script>alert(5)</script> & more"
FILE = "<b>x&y</b>'\".flow.yaml"

HOSTILE = f"""\
version: 1
flows:
  - id: hostile-flow
    from: IND
    to: '{TO}'
    document: '{DOCUMENT}'
    form: extract
    fields: [v_nummer]
    purpose: "{PURPOSE}"
    legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e]
    retention: P4W
"""

WAIVERS = f"""\
version: 1
waivers:
  - flow: ind-coa-integraal
    rule: integral_not_proportional
    approver: "{APPROVER}"
    dpia: DPIA-1
    expires: 2099-01-01
    justification: "{JUSTIFICATION}"
"""


class _Page(HTMLParser):
    """What a browser's parser makes of the page: the elements, attribute names, and every text and value."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attributes: set[str] = set()
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attributes.update(name for name, _ in attrs)
        self.values.extend(value for _, value in attrs if value is not None)

    def handle_data(self, data: str) -> None:
        self.values.append(data)


@pytest.mark.opa
def test_hostile_values_come_out_as_text_in_report_html(tmp_path: Path) -> None:
    write(tmp_path, "flows/hostile.flow.yaml", HOSTILE)
    write(tmp_path, "flows/integral.flow.yaml", INTEGRAL)
    write(tmp_path, f"flows/{FILE}", "version: 1\nflows: [\n")
    waivers = write(tmp_path, "w.yaml", WAIVERS)
    out = tmp_path / "audit"
    done = run_cli("audit", "--out", str(out), "--waivers", str(waivers), str(tmp_path / "flows"))
    assert done.returncode == 2, done.stderr  # the broken file is an input error; the audit is written anyway
    text = (out / "report.html").read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    page.close()
    # Only the page's own elements: one style, one script, one SVG, in bold the six counts and the summary's
    # rules and waiver notes (four in this set), no image.
    assert (page.tags["style"], page.tags["script"], page.tags["svg"], page.tags["b"], page.tags["img"]) == (
        1,
        1,
        1,
        10,
        0,
    )
    assert not [name for name in page.attributes if name.startswith("on")]
    # Each value reads back exactly as written, in a cell or in the diagram's attributes and tooltips.
    for value in (TO, DOCUMENT, PURPOSE, APPROVER, JUSTIFICATION):
        assert value in page.values, value
    assert any(FILE in value for value in page.values)
    assert f'data-to="{TO}"' not in text
    assert 'data-to="COA&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in text


def test_the_environment_escapes_everything_and_rejects_unknown_names() -> None:
    environment = html._environment()
    # Whatever a template is called, and for a template from a string too: escaping cannot be left out by name.
    assert environment.from_string("{{ v }}").render(v="<a href='x'>&") == "&lt;a href=&#39;x&#39;&gt;&amp;"
    select = environment.autoescape
    assert callable(select)
    assert all(select(name) for name in ("report.html", "diagram.svg", "page.txt", None))
    with pytest.raises(jinja2.UndefinedError):
        environment.from_string("<td>{{ misspelt }}</td>").render()
    # Nothing is marked safe, in the templates or in the code that fills them: no value bypasses the escaping.
    audit = ROOT / "checker" / "audit"
    for path in [*audit.glob("templates/*.html"), audit / "html.py", audit / "diagram.py"]:
        source = path.read_text(encoding="utf-8").replace(" ", "")
        assert not any(mark in source for mark in ("|safe", "{%autoescape", "Markup")), path.name


def test_the_wheel_carries_the_templates_and_renders_from_them(tmp_path: Path, wheel: Path) -> None:
    # A pip install runs from the wheel (the conftest fixture), not from this checkout: load the templates from
    # the unpacked wheel alone.
    templates = sorted(p.name for p in (ROOT / "checker" / "audit" / "templates").glob("*.html"))
    assert templates == ["diagram.html", "report.html"]
    with zipfile.ZipFile(wheel) as archive:
        packed = {name for name in archive.namelist() if name.startswith("checker/audit/templates/")}
        assert packed == {f"checker/audit/templates/{name}" for name in templates}
        archive.extractall(tmp_path / "site")
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); import checker.audit.html as h; "
        "assert h.__file__.startswith(sys.argv[1]), h.__file__; "
        "print(sorted(h._environment().list_templates()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "site")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == str(templates)
