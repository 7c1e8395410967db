"""The generated catalogue index never decides a verdict for a catalogue it was not built from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker import pack_index
from tests.conftest import ROOT, report_json, run_cli

pytestmark = pytest.mark.opa

SEED = str(ROOT / "examples" / "seed" / "ind-coa-integraal.flow.yaml")


def _widened_copy(tmp_path: Path) -> Path:
    """The pack with COA's einde_opvang row widened to the integral refusal, its index left as it was."""
    pack = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", pack)
    matrix = pack / "ketencheck" / "catalogue" / "matrix" / "data.yaml"
    text = matrix.read_text(encoding="utf-8")
    extract = (
        "    form: extract\n"
        "    fields: [v_nummer, besluitdatum, rechtmatig_verblijf, verblijfsgrond, vertrektermijn_einddatum, "
        "vertrekplicht,\n"
        "             schorsende_werking, uitstel_vertrek, inreisverbod_geldt, dublin_claimant]\n"
        "    bases: [avg_6_1_c, vw_107_4, vv_7_1e]\n"
    )
    assert text.count(extract) == 1
    matrix.write_text(text.replace(extract, "    form: integral\n    bases: [avg_6_1_c, vw_107_4, vv_7_1e]\n", 1))
    return pack


def test_the_shipped_index_is_in_step_with_the_shipped_catalogue() -> None:
    # Regenerate with `ketencheck policy index --policies policies` after editing the catalogue.
    assert pack_index.in_step(ROOT / "policies")


def test_an_edited_catalogue_is_judged_as_edited_although_its_index_is_stale(tmp_path: Path, opa_binary: str) -> None:
    pack = _widened_copy(tmp_path)
    index_before = (pack / pack_index.INDEX).read_bytes()
    assert not pack_index.in_step(pack)
    shipped = report_json(run_cli("check", "--format", "json", "--", SEED).stdout)
    widened = report_json(run_cli("check", "--format", "json", "--policies", str(pack), "--", SEED).stdout)

    def rules(report: dict[str, object], flow: str) -> set[str]:
        return {f["rule"] for r in report["flows"] if r["id"] == flow for f in r["findings"]}  # type: ignore[attr-defined, index]

    assert "integral_not_proportional" in rules(shipped, "ind-coa-afwijzing-integraal")
    # The widened row admits the whole document: the stale index would still have said "extract only".
    assert "integral_not_proportional" not in rules(widened, "ind-coa-afwijzing-integraal")
    # The index was rebuilt in ketencheck's private copy, never in the user's pack.
    assert (pack / pack_index.INDEX).read_bytes() == index_before


def test_an_edited_duration_parser_makes_the_index_stale(tmp_path: Path) -> None:
    # The index holds each purpose's retention maximum in days, parsed by lib/duration.rego (issue 18).
    pack = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", pack)
    duration = pack / "ketencheck" / "lib" / "duration.rego"
    duration.write_text(duration.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert not pack_index.in_step(pack)


def test_policy_index_rebuilds_the_index_in_the_pack(tmp_path: Path, opa_binary: str) -> None:
    pack = _widened_copy(tmp_path)
    done = run_cli("policy", "index", "--policies", str(pack))
    assert done.returncode == 0, done.stderr
    assert pack_index.in_step(pack)
    # The rebuilt index is the pack's own build: its Rego test of being in step passes.
    assert run_cli("policy", "lint", "--policies", str(pack)).returncode == 0
