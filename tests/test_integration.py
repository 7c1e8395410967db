"""The real CLI on the real opa: the contract's exit codes and JSON report, and the seed's story."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import INTEGRAL, LAWFUL, ROOT, report_json, run_cli, write

pytestmark = pytest.mark.opa


@pytest.fixture(autouse=True)
def _needs_opa(opa_binary: str) -> None:
    """Every test here runs the real opa; in CI a missing one fails the run."""


def test_exit_0_when_every_flow_is_allowed(tmp_path: Path) -> None:
    done = run_cli("check", str(write(tmp_path, "a.flow.yaml", LAWFUL)))
    assert done.returncode == 0, done.stderr
    assert "1 flow checked: 1 allowed, 0 denied" in done.stdout


def test_exit_1_when_a_flow_is_denied(tmp_path: Path) -> None:
    done = run_cli("check", str(write(tmp_path, "a.flow.yaml", INTEGRAL)))
    assert done.returncode == 1
    assert "DENY  ind-coa-integraal" in done.stdout
    assert "integral_not_proportional" in done.stdout


def test_exit_2_on_invalid_input_with_the_rest_still_checked(tmp_path: Path) -> None:
    write(tmp_path, "a.flow.yaml", INTEGRAL)
    write(tmp_path, "b.flow.yaml", LAWFUL.replace("    fields: [v_nummer, rechtmatig_verblijf]\n", ""))
    done = run_cli("check", "--format", "json", str(tmp_path))
    assert done.returncode == 2
    report = report_json(done.stdout)
    assert report["summary"] == {"flows": 1, "allowed": 0, "denied": 1, "errors": 1, "waived": 0, "baselined": 0}
    assert report["errors"] == [
        {"file": str(tmp_path / "b.flow.yaml"), "line": 3, "message": "flows[0].fields: required when form is extract"}
    ]


def test_exit_3_when_opa_is_missing(tmp_path: Path) -> None:
    done = run_cli("check", "--opa", str(tmp_path / "nothing"), str(write(tmp_path, "a.flow.yaml", LAWFUL)))
    assert done.returncode == 3
    assert done.stdout == ""
    assert done.stderr.startswith("ketencheck: error: ")
    assert "Traceback" not in done.stderr


def test_exit_3_when_opa_times_out(tmp_path: Path) -> None:
    slow = write(tmp_path, "bin/opa", "#!/bin/sh\nexec sleep 30\n")
    slow.chmod(0o755)
    done = run_cli("check", "--opa", str(slow), "--timeout", "0.5", str(write(tmp_path, "a.flow.yaml", LAWFUL)))
    assert done.returncode == 3
    assert "did not finish within 0.5 s" in done.stderr


def test_the_examples_report_matches_the_contract_field_by_field(golden: Callable[[str, str], None]) -> None:
    # A fixed day: the citations and their links depend on it, and the golden must not depend on the clock.
    done = run_cli("check", "--format", "json", "--today", "2026-11-28", "examples/")
    assert done.returncode == 1, done.stderr
    report = report_json(done.stdout)
    assert list(report) == ["version", "summary", "flows", "errors", "waivers", "engine"]
    assert report["version"] == 1
    assert list(report["summary"]) == ["flows", "allowed", "denied", "errors", "waived", "baselined"]
    for flow in report["flows"]:
        assert list(flow) == ["id", "file", "line", "verdict", "findings"]
        assert flow["verdict"] in {"allow", "deny"}
        for finding in flow["findings"]:
            # subject and digest: what a waiver or baseline entry binds to (an extension of the contract).
            # Every finding of the pack is data as well (message_id, arguments), its fix too (fix_id, fix_arguments).
            words = {"rule", "severity", "message", "message_id", "arguments", "legal_refs", "legal_sources"}
            bound = {"subject", "digest"}
            fixed = {"fix", "fix_id", "fix_arguments"}
            assert set(finding) in (
                words | bound,
                words | fixed | bound,
                words | fixed | bound | {"waivable"},
            )
            assert re.fullmatch(r"sha256:[0-9a-f]{64}", finding["digest"])
            assert [s["label"] for s in finding["legal_sources"]] == finding["legal_refs"]
            for source in finding["legal_sources"]:
                assert list(source) == ["label", "url", "valid_from", "verified"]
    assert [(f["file"], f["line"]) for f in report["flows"]] == sorted((f["file"], f["line"]) for f in report["flows"])
    # The revision digests the policy files: it changes with every policy edit, so it is checked apart.
    assert re.fullmatch(r"1\.1\.0\+[0-9a-f]{12}", report["engine"]["revision"])
    golden("examples.json", re.sub(r'"revision": "[^"]*"', '"revision": "<revision>"', done.stdout))


def test_the_seed_flows_are_denied_and_their_extracts_allowed() -> None:
    report = report_json(run_cli("check", "--format", "json", "examples/seed").stdout)
    verdicts = {f["id"]: f["verdict"] for f in report["flows"]}
    assert verdicts == {
        "ind-coa-afwijzing-integraal": "deny",
        "ind-coa-toewijzing-integraal": "deny",
        "ind-coa-voornemen-integraal": "deny",
        "ind-coa-einde-opvang": "allow",
        "ind-coa-huisvesting": "allow",
        "ind-coa-procesgebeurtenis": "allow",
    }
    seed = next(f for f in report["flows"] if f["id"] == "ind-coa-afwijzing-integraal")
    finding = next(f for f in seed["findings"] if f["rule"] == "integral_not_proportional")
    assert finding["legal_refs"][:2] == ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)"]
    assert finding["fix"].startswith("form: extract\nfields: [v_nummer, besluitdatum, rechtmatig_verblijf")


def test_the_text_report_of_the_examples(golden: Callable[[str, str], None]) -> None:
    done = run_cli("check", "--today", "2026-11-28", "examples/")
    assert done.returncode == 1
    # The header names the pack; its revision changes with every policy edit.
    golden("examples.text", re.sub(r"revision [^,]*,", "revision <revision>,", done.stdout, count=1))


def test_output_is_deterministic_whatever_the_argument_order() -> None:
    one = run_cli("check", "--format", "json", "examples/seed", "examples/chain").stdout
    two = run_cli("check", "--format", "json", "examples/chain", "examples/seed").stdout
    assert one == two


def test_catalogue_topics() -> None:
    for topic in ("partners", "documents", "fields", "purposes", "legal-bases", "matrix"):
        done = run_cli("catalogue", topic)
        assert done.returncode == 0, done.stderr
    assert "COA" in run_cli("catalogue", "partners").stdout
    legal = json.loads(run_cli("catalogue", "legal-bases", "--format", "json").stdout)
    assert legal["vw_107_4"]["valid_from"] == "2026-09-01"


def test_a_thousand_flows_in_one_run(tmp_path: Path) -> None:
    body = "".join(LAWFUL.split("flows:\n")[1].replace("ind-coa-einde-opvang", f"flow-{i}") for i in range(1000))
    path = write(tmp_path, "many.flow.yaml", "version: 1\nflows:\n" + body)
    done = run_cli("check", "--format", "json", str(path))
    assert done.returncode == 0, done.stderr
    assert report_json(done.stdout)["summary"] == {
        "flows": 1000,
        "allowed": 1000,
        "denied": 0,
        "errors": 0,
        "waived": 0,
        "baselined": 0,
    }


def test_running_from_another_directory_finds_the_pack(tmp_path: Path) -> None:
    write(tmp_path, "a.flow.yaml", INTEGRAL)
    done = run_cli("check", "a.flow.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert str(ROOT) not in done.stdout


def test_the_chain_example_shows_provenance_and_aggregation() -> None:
    report = report_json(run_cli("check", "--format", "json", "examples/").stdout)
    rules = {f["id"]: {x["rule"] for x in f["findings"]} for f in report["flows"]}
    assert rules["coa-gemeente-huisvesting"] == {"aggregation_purpose_separation"}
    assert {"provenance", "field_not_needed"} <= rules["coa-gemeente-signaal"]
    # Checked on its own, the same lawful flow has no source: the chain is the set checked together.
    alone = report_json(run_cli("check", "--format", "json", "examples/chain/ind-coa-gemeente.flow.yaml").stdout)
    assert "provenance" in {x["rule"] for x in alone["flows"][0]["findings"]}


def test_the_example_waiver_accepts_the_aggregation_warning() -> None:
    done = run_cli(
        "check", "--format", "json", "--today", "2026-11-28",
        "--waivers", "examples/waivers/gemeente.waivers.yaml", "examples/",
    )  # fmt: skip
    report = report_json(done.stdout)
    assert [w["status"] for w in report["waivers"]] == ["applied"]
    assert report["summary"]["waived"] == 1
    housing = next(f for f in report["flows"] if f["id"] == "coa-gemeente-huisvesting")
    assert [(x["rule"], x["waived"]["approver"]) for x in housing["findings"]] == [
        ("aggregation_purpose_separation", "FG")
    ]
    # After its expiry date the warning counts again.
    later = run_cli(
        "check", "--format", "json", "--today", "2027-07-01",
        "--waivers", "examples/waivers/gemeente.waivers.yaml", "examples/",
    )  # fmt: skip
    assert [w["status"] for w in report_json(later.stdout)["waivers"]] == ["expired"]
