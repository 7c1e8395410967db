"""The CI gate: SARIF checked by the official validator, JUnit read by a real parser, annotations, baseline, context."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from junitparser import Error, Failure, JUnitXml

from tests.conftest import GOLDEN, INTEGRAL, LAWFUL, ROOT, report_json, run_cli, write
from tests.test_waivers import NIEUW_VELD, SOLD

_MULTITOOL = ROOT / ".tools" / "sarif-multitool-5.7.0" / "node_modules" / ".bin" / "sarif-multitool"


@pytest.fixture(scope="session")
def sarif_multitool() -> str:
    """Microsoft's SARIF Multitool, installed by `make test` from the npm registry; never skipped in CI."""
    tool = os.environ.get("KETENCHECK_SARIF_MULTITOOL") or str(_MULTITOOL)
    if not Path(tool).exists():
        if os.environ.get("CI"):
            pytest.fail(f"SARIF Multitool missing at {tool}: in CI this is a failure (run `make test`)")
        pytest.skip("SARIF Multitool not installed (run `make test`)")
    return tool


def sarif_errors(tool: str, path: Path) -> list[str]:
    """What the validator reports at level error: schema violations (JSON*) and SARIF rule errors (SARIF1*)."""
    out = path.with_suffix(".validation.sarif")
    done = subprocess.run(
        [tool, "validate", str(path), "--output", str(out), "--log", "ForceOverwrite"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.exists(), f"the validator wrote no log: {done.stdout}\n{done.stderr}"
    log = json.loads(out.read_text(encoding="utf-8"))
    results = log["runs"][0].get("results", [])
    notifications = [
        n for inv in log["runs"][0].get("invocations", []) for n in inv.get("toolExecutionNotifications", [])
    ]
    failures = [n["message"]["text"] for n in notifications if n.get("level") == "error"]
    return failures + [
        f"{r['ruleId']}: {r['message'].get('text', r['message'])}" for r in results if r.get("level") == "error"
    ]


def test_the_validator_catches_invalid_sarif(tmp_path: Path, sarif_multitool: str) -> None:
    # Without this, a validator that never complains would let every SARIF test pass.
    bad = write(
        tmp_path,
        "bad.sarif",
        json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"level": "fatal"}]}]}),
    )
    errors = sarif_errors(sarif_multitool, bad)
    # The log carries message ids and arguments: the missing property and the bad enum value are named.
    assert any("JSON1002" in e and "'name'" in e for e in errors), errors
    assert any("fatal" in e for e in errors), errors


@pytest.mark.parametrize("case", ["findings", "empty", "waived"])
def test_the_golden_sarif_is_valid(tmp_path: Path, sarif_multitool: str, case: str) -> None:
    path = write(tmp_path, f"{case}.sarif", (GOLDEN / f"{case}.sarif").read_text(encoding="utf-8"))
    assert sarif_errors(sarif_multitool, path) == []


@pytest.mark.opa
def test_the_sarif_of_the_examples_is_valid_and_complete(tmp_path: Path, sarif_multitool: str, opa_binary: str) -> None:
    waivers = "examples/waivers/gemeente.waivers.yaml"
    done = run_cli("check", "--format", "sarif", "--today", "2026-11-28", "--waivers", waivers, "examples/")
    assert done.returncode == 1
    path = write(tmp_path, "examples.sarif", done.stdout)
    assert sarif_errors(sarif_multitool, path) == []
    run = json.loads(done.stdout)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(rules) == 18  # every rule of the pack, from its METADATA
    provenance = next(r for r in rules if r["id"] == "provenance")
    assert "AVG art. 6(1)" in provenance["help"]["text"]
    assert provenance["properties"]["legalReferences"][0] == "AVG art. 5(1)(a)"
    seed = next(r for r in run["results"] if r["properties"]["flow"] == "ind-coa-afwijzing-integraal")
    region = seed["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (6, 5)
    assert (
        seed["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "examples/seed/ind-coa-integraal.flow.yaml"
    )
    assert {r["level"] for r in run["results"]} == {"error", "warning", "note"}
    (waived,) = [r for r in run["results"] if "suppressions" in r]
    assert waived["suppressions"][0]["status"] == "accepted"
    assert "FG" in waived["suppressions"][0]["justification"]


@pytest.mark.opa
def test_junit_of_the_examples_reads_with_a_real_parser(tmp_path: Path, opa_binary: str) -> None:
    done = run_cli("check", "--format", "junit", "examples/")
    xml = JUnitXml.fromstring(done.stdout)
    assert (xml.tests, xml.failures, xml.errors) == (19, 5, 0)
    cases = {case.name: case for suite in xml for case in suite}
    assert len(cases) == 19
    (failure,) = cases["ind-coa-afwijzing-integraal"].result
    assert isinstance(failure, Failure)
    assert failure.type == "integral_not_proportional"
    assert "law: AVG art. 5(1)(c)" in (failure.text or "")
    assert cases["ind-coa-einde-opvang"].is_passed


def test_junit_reports_input_errors_as_errors(tmp_path: Path) -> None:
    write(tmp_path, "a.flow.yaml", "version: 1\nflows: [")
    done = run_cli("check", "--format", "junit", str(tmp_path))
    assert done.returncode == 2
    xml = JUnitXml.fromstring(done.stdout)
    assert (xml.tests, xml.errors) == (1, 1)
    (case,) = [case for suite in xml for case in suite]
    assert isinstance(case.result[0], Error)


@pytest.mark.opa
def test_github_annotations_point_at_the_flow(opa_binary: str) -> None:
    done = run_cli("check", "--format", "github", "examples/seed/ind-coa-integraal.flow.yaml")
    lines = done.stdout.splitlines()
    assert lines[0].startswith(
        "::error file=examples/seed/ind-coa-integraal.flow.yaml,line=6,col=5,"
        "title=integral_not_proportional (ind-coa-afwijzing-integraal)::COA may receive"
    )
    assert all("\n" not in line for line in lines)
    assert lines[-1] == "ketencheck: 3 flows checked: 0 allowed, 3 denied, 0 input errors"


@pytest.mark.opa
def test_markdown_summary_of_the_examples(opa_binary: str) -> None:
    done = run_cli("check", "--format", "markdown", "examples/")
    assert done.stdout.startswith("## ketencheck\n\n**5 of 19 flows denied.**")
    assert "```yaml\nform: extract\nfields: [v_nummer, besluitdatum" in done.stdout


# Baseline: record today's findings, report only new ones; matched by flow id and rule, not by line.


@pytest.mark.opa
def test_a_baseline_hides_recorded_findings_and_reports_new_ones(tmp_path: Path, opa_binary: str) -> None:
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    baseline = tmp_path / "baseline.json"
    first = run_cli("check", "--write-baseline", str(baseline), str(flows))
    assert first.returncode == 0, first.stdout
    recorded = json.loads(baseline.read_text(encoding="utf-8"))
    assert recorded["version"] == 2
    assert [(e["flow"], e["rule"]) for e in recorded["findings"]] == [
        ("ind-coa-integraal", "integral_not_proportional"),
        ("ind-coa-integraal", "retention_missing"),
        ("ind-coa-integraal", "special_category_data"),
    ]
    assert recorded["findings"][2]["subject"] == {
        "fields": ["asielmotief", "geloofwaardigheidsbeoordeling", "motivering"]
    }
    assert len({e["digest"] for e in recorded["findings"]}) == 1
    # Moving the flow down the file (and adding a lawful one above it) keeps it baselined.
    moved = LAWFUL + INTEGRAL.split("flows:\n")[1]
    write(tmp_path, "a.flow.yaml", moved)
    again = run_cli("check", "--format", "json", "--baseline", str(baseline), str(flows))
    assert again.returncode == 0, again.stdout
    report = report_json(again.stdout)
    # Baselined, not hidden: still denied, accepted for now (issue 16, item 7).
    by_id = {f["id"]: f for f in report["flows"]}
    assert by_id["ind-coa-integraal"]["verdict"] == "deny"
    assert by_id["ind-coa-integraal"]["baselined"] is True
    assert all(f["baselined"] for f in by_id["ind-coa-integraal"]["findings"])
    assert report["summary"]["baselined"] == 1 and report["summary"]["denied"] == 0
    assert "notices" not in report
    # A changed flow is not the one that was baselined: all of its findings count again, the old entries are stale.
    worse = moved.replace("form: integral\n", "form: integral\n    channel: mail\n").replace(
        "legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e]\n", "legal_basis: [avg_6_1_c]\n"
    )
    write(tmp_path, "a.flow.yaml", worse)
    new = run_cli("check", "--format", "json", "--baseline", str(baseline), str(flows))
    assert new.returncode == 1
    report = report_json(new.stdout)
    assert {f["rule"] for fl in report["flows"] for f in fl["findings"]} == {
        "legal_basis_incomplete",
        "integral_not_proportional",
        "special_category_data",
        "retention_missing",
    }
    assert [n["kind"] for n in report["notices"]] == ["baseline_stale"] * 3


@pytest.mark.opa
def test_the_attack_a_baseline_entry_never_hides_what_could_not_be_judged(tmp_path: Path, opa_binary: str) -> None:
    # Issue 12, item 2: a baseline entry for ind-coa-nieuw-veld and unknown_reference hid the flow's sale to a
    # private broker. Version 1 entries (flow and rule) still hide nothing the rule cannot accept.
    flows = write(tmp_path, "nieuw.flow.yaml", NIEUW_VELD)
    old = write(
        tmp_path,
        "old.json",
        json.dumps({"version": 1, "findings": [{"flow": "ind-coa-nieuw-veld", "rule": "unknown_reference"}]}),
    )
    for content in (NIEUW_VELD, SOLD):
        flows.write_text(content, encoding="utf-8")
        done = run_cli("check", "--baseline", str(old), str(flows))
        assert done.returncode == 1, done.stdout
        assert "DENY  ind-coa-nieuw-veld" in done.stdout
        assert "a version 1 baseline" in done.stdout
        assert "baseline entry for unknown_reference on ind-coa-nieuw-veld matches no finding" in done.stdout
    # --write-baseline does not record it either: the run still fails.
    flows.write_text(NIEUW_VELD, encoding="utf-8")
    written = tmp_path / "b.json"
    done = run_cli("check", "--write-baseline", str(written), str(flows))
    assert done.returncode == 1, done.stdout
    assert json.loads(written.read_text(encoding="utf-8"))["findings"] == []


@pytest.mark.opa
def test_stale_baseline_entries_are_reported_as_warnings(tmp_path: Path, opa_binary: str, sarif_multitool: str) -> None:
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    baseline = tmp_path / "baseline.json"
    assert run_cli("check", "--write-baseline", str(baseline), str(flows)).returncode == 0
    # The flow is fixed: nothing left to hide, and every entry says so.
    flows.write_text(LAWFUL, encoding="utf-8")
    done = run_cli("check", "--baseline", str(baseline), str(flows))
    assert done.returncode == 0, done.stdout
    assert done.stdout.count("matches no finding") == 3
    assert "3 warnings" in done.stdout
    assert run_cli("check", "--fail-on", "warning", "--baseline", str(baseline), str(flows)).returncode == 1
    for fmt, marker in [
        ("github", "::warning file="),
        ("sarif", '"id": "baseline_stale"'),
        ("markdown", "### Baseline"),
    ]:
        out = run_cli("check", "--format", fmt, "--baseline", str(baseline), str(flows)).stdout
        assert marker in out, fmt
    sarif = tmp_path / "stale.sarif"
    sarif.write_text(run_cli("check", "--format", "sarif", "--baseline", str(baseline), str(flows)).stdout, "utf-8")
    assert sarif_errors(sarif_multitool, sarif) == []


def test_a_broken_baseline_is_an_input_error(tmp_path: Path) -> None:
    flows = write(tmp_path, "a.flow.yaml", LAWFUL)
    for content, message in [
        ("{", "invalid JSON in the baseline"),
        ('{"version": 3, "findings": []}', "not a ketencheck baseline"),
        ('{"version": 2, "findings": [{"flow": "a", "rule": "b"}]}', "not a ketencheck baseline"),
    ]:
        baseline = write(tmp_path, "b.json", content)
        done = run_cli("check", "--baseline", str(baseline), str(flows))
        assert done.returncode == 2
        assert message in done.stderr
    done = run_cli("check", "--baseline", str(tmp_path / "none.json"), str(flows))
    assert (done.returncode, "baseline file not found" in done.stderr) == (2, True)


# Context: the files a hook passes are reported; the rest of the repository is read for the chain rules.


@pytest.mark.opa
def test_context_gives_the_chain_without_reporting_it(opa_binary: str) -> None:
    alone = run_cli("check", "--format", "json", "examples/chain/ind-coa-gemeente.flow.yaml")
    assert "provenance" in {f["rule"] for f in report_json(alone.stdout)["flows"][0]["findings"]}
    with_context = run_cli(
        "check", "--format", "json", "--context", "examples/", "examples/chain/ind-coa-gemeente.flow.yaml"
    )
    report = report_json(with_context.stdout)
    assert [f["id"] for f in report["flows"]] == ["coa-gemeente-huisvesting", "coa-gemeente-signaal"]
    rules = {f["id"]: {x["rule"] for x in f["findings"]} for f in report["flows"]}
    assert rules["coa-gemeente-huisvesting"] == {"aggregation_purpose_separation"}
    assert "provenance" in rules["coa-gemeente-signaal"]


@pytest.mark.opa
def test_a_broken_context_file_still_fails_closed(tmp_path: Path) -> None:
    flows = write(tmp_path, "a.flow.yaml", LAWFUL)
    write(tmp_path, "other/b.flow.yaml", "version: 1\nflows: [")
    done = run_cli("check", "--context", str(tmp_path), str(flows))
    assert done.returncode == 2
    assert "b.flow.yaml" in done.stdout


@pytest.mark.opa
def test_a_context_flow_downstream_of_the_change_is_reported_with_its_chain_findings_only(
    tmp_path: Path, opa_binary: str
) -> None:
    from tests.test_precommit import FORWARD, INBOUND

    narrowed = write(tmp_path, "inbound.flow.yaml", INBOUND.replace("naam, geboortedatum", "geboortedatum"))
    # The forwarding flow also lacks a retention period (info): not caused by the change, so not reported.
    write(tmp_path, "forward.flow.yaml", FORWARD.replace("    retention: P1Y\n", ""))
    # A denied flow elsewhere in the repository, not downstream of the change: read, not reported.
    write(tmp_path, "other.flow.yaml", INTEGRAL)
    done = run_cli("check", "--format", "json", "--context", str(tmp_path), str(narrowed))
    assert done.returncode == 1, done.stdout
    report = report_json(done.stdout)
    found = {f["id"]: [x["rule"] for x in f["findings"]] for f in report["flows"]}
    assert found == {"ind-coa-huisvesting": [], "coa-gemeente-huisvesting": ["provenance"]}


@pytest.mark.parametrize(("ci", "outcome"), [(None, "1 skipped"), ("true", "1 error")])
def test_a_test_marked_opa_is_skipped_without_opa_but_fails_in_ci(ci: str | None, outcome: str) -> None:
    # The marker must mean something: on a workstation without opa the test says why it did not run; in CI the
    # missing engine fails the job, so that policy tests can never pass by not running.
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["KETENCHECK_OPA"] = str(ROOT / "no-such-dir" / "opa")
    if ci is not None:
        env["CI"] = ci
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
         "tests/test_ci.py::test_a_broken_context_file_still_fails_closed"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert outcome in done.stdout, done.stdout
    assert ("needs opa, which was not found" if ci is None else "in CI that is a failure") in done.stdout


@pytest.mark.opa
def test_baselined_findings_stay_visible_as_denied_in_every_format(tmp_path: Path, opa_binary: str) -> None:
    # Issue 16, item 7: with --baseline the seed's integral flow printed ALLOW and its JSON verdict was allow.
    seed = str(ROOT / "examples" / "seed")
    baseline = tmp_path / "baseline.json"
    assert run_cli("check", "--write-baseline", str(baseline), seed).returncode == 0
    text = run_cli("check", "--baseline", str(baseline), seed)
    assert text.returncode == 0, text.stdout
    assert "BASELINED ind-coa-afwijzing-integraal" in text.stdout
    assert "ALLOW ind-coa-afwijzing-integraal" not in text.stdout
    assert "baselined error integral_not_proportional" in text.stdout
    assert (
        text.stdout.splitlines()[-1] == "6 flows checked: 3 allowed, 0 denied, 3 baselined (denied, accepted for now)"
    )
    document = report_json(run_cli("check", "--format", "json", "--baseline", str(baseline), seed).stdout)
    flow = next(f for f in document["flows"] if f["id"] == "ind-coa-afwijzing-integraal")
    assert (flow["verdict"], flow["baselined"]) == ("deny", True)
    assert document["summary"]["baselined"] == 3
    assert document["summary"]["flows"] == sum(document["summary"][k] for k in ("allowed", "denied", "baselined"))
    sarif = json.loads(run_cli("check", "--format", "sarif", "--baseline", str(baseline), seed).stdout)
    results = [r for r in sarif["runs"][0]["results"] if r["properties"]["flow"] == "ind-coa-afwijzing-integraal"]
    assert results and all(
        [(s["kind"], s["status"]) for s in r["suppressions"]] == [("external", "accepted")] for r in results
    )
    github = run_cli("check", "--format", "github", "--baseline", str(baseline), seed)
    assert github.returncode == 0
    assert "::notice " in github.stdout and "title=baselined%3A integral_not_proportional" in github.stdout
    assert "::error " not in github.stdout
    assert "3 baselined" in github.stdout.splitlines()[-1]
    junit = run_cli("check", "--format", "junit", "--baseline", str(baseline), seed)
    suites = JUnitXml.fromstring(junit.stdout)
    assert suites.failures == 0 and suites.skipped == 3
    markdown = run_cli("check", "--format", "markdown", "--baseline", str(baseline), seed)
    assert "### Baselined (denied, accepted for now)" in markdown.stdout
    assert "ind-coa-afwijzing-integraal" in markdown.stdout.split("### Baselined")[1]
    # Baselined warnings are accepted too: --fail-on warning fails only on what the baseline does not record.
    assert run_cli("check", "--baseline", str(baseline), "--fail-on", "warning", seed).returncode == 0
