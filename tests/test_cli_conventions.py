"""Issue 16, items 10 and 12: the catalogue says what a row admits, and every command offers only options it uses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli


@pytest.mark.opa
def test_the_matrix_shows_the_fields_of_an_extract_and_filters(opa_binary: str) -> None:
    done = run_cli("catalogue", "matrix", "--to", "COA", "--document", "beschikking_afwijzend")
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.split() == ["row", "recipients", "documents", "purpose", "form", "bases", "fields"]
    (row,) = [r for r in rows if r.startswith("coa-afwijzing-einde-opvang ")]
    assert "extract of 10" in row and row.endswith("inreisverbod_geldt, dublin_claimant")
    assert all(" COA" in r for r in rows)
    only = json.loads(run_cli("catalogue", "matrix", "--purpose", "einde_opvang", "--format", "json").stdout)
    assert only and {r["purpose"] for r in only} == {"einde_opvang"}
    everything = json.loads(run_cli("catalogue", "matrix", "--format", "json").stdout)
    assert len(everything) > len(only)
    assert run_cli("catalogue", "matrix", "--to", "nobody").stdout.splitlines()[1:] == []
    refused = run_cli("catalogue", "partners", "--to", "COA")
    assert refused.returncode == 2 and "filter the matrix only" in refused.stderr


def test_catalogue_without_a_section_lists_the_sections() -> None:
    done = run_cli("catalogue")
    assert done.returncode == 0
    assert "sections:" in done.stdout
    for section in ("partners", "documents", "fields", "purposes", "legal-bases", "matrix"):
        assert f"\n  {section} " in done.stdout
    assert "COA" not in done.stdout


@pytest.mark.parametrize("command", ["build", "lint", "docs", "index"])
def test_policy_commands_offer_only_the_options_they_use(command: str) -> None:
    shown = run_cli("policy", command, "--help").stdout
    assert "--policies" in shown and "--opa " in shown
    for meaningless in ("--engine", "--bundle", "--verification-key", "--opa-url", "--opa-token"):
        assert meaningless not in shown, meaningless


@pytest.mark.opa
def test_explain_takes_waivers_like_check(opa_binary: str) -> None:
    examples = str(ROOT / "examples")
    waivers = str(ROOT / "examples" / "waivers" / "gemeente.waivers.yaml")
    checked = run_cli("check", "--format", "json", "--today", "2026-11-28", "--waivers", waivers, examples)
    waived = {f["id"] for f in json.loads(checked.stdout)["flows"] if any("waived" in x for x in f["findings"])}
    assert waived
    flow = sorted(waived)[0]
    done = run_cli("explain", "--format", "json", "--today", "2026-11-28", "--waivers", waivers, flow, examples)
    assert done.returncode in (0, 1), done.stderr
    document = json.loads(done.stdout)
    assert any(r["waived"] for r in document["rules"])
    verdict = next(f["verdict"] for f in json.loads(checked.stdout)["flows"] if f["id"] == flow)
    assert document["verdict"] == verdict


def test_explain_help_names_today_and_waivers(tmp_path: Path) -> None:
    shown = run_cli("explain", "--help").stdout
    assert "--today" in shown and "--waivers" in shown


def test_output_that_is_a_format_name_is_a_usage_error(tmp_path: Path) -> None:
    # Issue 16, item 11: conftest's habit `-o json` wrote a text report to a file named json and exited 0.
    done = run_cli("check", "-o", "json", str(tmp_path / "a.flow.yaml"), cwd=tmp_path)
    assert done.returncode == 2
    assert "'json' is a format name, not a file: use -f/--format json" in done.stderr
    assert not (tmp_path / "json").exists()


@pytest.mark.opa
def test_f_is_short_for_format(opa_binary: str) -> None:
    done = run_cli("check", "-f", "json", str(ROOT / "examples" / "seed"))
    assert json.loads(done.stdout)["version"] == 1
    assert "ketencheck, version" in run_cli("--version").stdout
