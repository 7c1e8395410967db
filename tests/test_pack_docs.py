"""The repository documents itself: docs/pack.md is the catalogue as loaded, and what the help texts, the README
and the pack cite exists in the repository (docs/contract.md, docs/pack.md), not in a folder users never get."""

from __future__ import annotations

import re
from typing import Any

import pytest

from checker.engine.opa_cli import OpaCliEngine, find_opa
from checker.pack_docs import render
from checker.resources import policies_dir
from tests.conftest import ROOT, report_json, run_cli

PACK_MD = ROOT / "docs" / "pack.md"
# Where a user or reviewer reads: the code and its help texts, the pack, the schemas, the README and the docs.
CITING = [ROOT / "README.md", ROOT / "CHANGELOG.md", *(ROOT / "docs").glob("*.md")] + [
    p
    for top in ("checker", "policies", "schemas", "deploy")
    for p in (ROOT / top).rglob("*")
    if p.is_file() and p.suffix in (".py", ".rego", ".yaml", ".json", ".md", ".html")
]


@pytest.fixture(scope="module")
def catalogue(opa_binary: str) -> Any:
    return OpaCliEngine(find_opa(opa_binary), policies_dir(), 60).catalogue()


@pytest.mark.opa
def test_docs_pack_md_is_the_catalogue_as_loaded(catalogue: Any, request: pytest.FixtureRequest) -> None:
    page = render(catalogue)
    if request.config.getoption("--update-golden"):
        PACK_MD.write_text(page, encoding="utf-8")
    assert PACK_MD.read_text(encoding="utf-8") == page, (
        "docs/pack.md is stale: pytest tests/test_pack_docs.py --update-golden"
    )


@pytest.mark.opa
def test_the_pack_page_names_every_catalogue_entry(catalogue: Any) -> None:
    page = render(catalogue)
    for section in ("partners", "documents", "fields", "purposes", "legal_bases"):
        for key in catalogue[section]:
            assert f"| `{key}` |" in page, (section, key)
    for row in catalogue["matrix"]["rows"]:
        line = next(line for line in page.splitlines() if line.startswith(f"| `{row['id']}` |"))
        # An extract row shows its fields, not a count.
        assert all(f"`{f}`" in line for f in row.get("fields") or []), row["id"]
    assert "| `IND` | " in page and "| yes |" in page  # bestuursorgaan shown
    assert "| `asielmotief` | `special` |" in page
    assert "`beschikking_afwijzend`" in page


def test_nothing_cites_documents_outside_the_repository() -> None:
    for path in CITING:
        text = path.read_text(encoding="utf-8", errors="replace")
        for bad in ("shared/", "domain.md", "law-verification.md"):
            assert bad not in text, f"{path.relative_to(ROOT)} cites {bad}, which is not in the repository"
        # Named by its path, or by a relative link from a docs page (checked below).
        rest = text.replace("docs/contract.md", "").replace("](contract.md)", "")
        assert "contract.md" not in rest, f"{path.relative_to(ROOT)} cites contract.md without its place"


def test_every_docs_page_the_repository_cites_exists() -> None:
    cited = {m for path in CITING for m in re.findall(r"docs/[a-z0-9_-]+\.md", path.read_text(errors="replace"))}
    assert {"docs/contract.md", "docs/pack.md"} <= cited
    for name in cited:
        assert (ROOT / name).is_file(), name
    # Relative links between the docs pages resolve too.
    for page in (ROOT / "docs").glob("*.md"):
        for target in re.findall(r"\]\(([a-z0-9_-]+\.md)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).is_file(), (page.name, target)


def test_help_points_at_the_contract_in_the_repository() -> None:
    done = run_cli("check", "--help")
    assert done.returncode == 0
    assert "docs/contract.md" in " ".join(done.stdout.split())


@pytest.mark.opa
def test_the_contract_documents_every_key_of_the_json_report() -> None:
    # Every key a real report has (with waivers, notices from a stale baseline, an input error) is in the contract.
    contract = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    done = run_cli(
        "check", "--format", "json", "--waivers", "examples/waivers/gemeente.waivers.yaml",
        "--baseline", "tests/data/stale.baseline.json", "examples/",
        "tests/data/contract-broken.flow.yaml", "tests/data/contract-invalid.flow.yaml",
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    report = report_json(done.stdout)
    keys: set[str] = set()

    def walk(value: Any, inside: str, argument: bool = False) -> None:
        # An argument's own name is a key of the report; what its value holds is in the argument table's row.
        if isinstance(value, dict):
            for key, item in value.items():
                if inside not in ("subject", "pack") and not argument:
                    keys.add(key)
                walk(item, key, argument or inside in ("arguments", "fix_arguments"))
        elif isinstance(value, list):
            for item in value:
                walk(item, inside, argument)

    walk(report, "")
    assert {"notices", "waived", "legal_sources", "subject", "digest", "source"} <= keys
    for key in sorted(keys):
        assert f"`{key}`" in contract, f"docs/contract.md does not document the report key {key!r}"
    for status in ("applied", "unbound", "expired", "stale", "refused"):
        assert f"`{status}`" in contract
