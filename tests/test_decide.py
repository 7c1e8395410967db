"""`ketencheck decide` and data.ketencheck.decide with the local engine: allowed exactly when `check` allows
the same exchange written as a flow file (on the examples through the real CLI, on a generated set in one
evaluation), bad input is exit 2, and approved flows bound what an exchange may carry."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, run_cli, write

pytestmark = pytest.mark.opa

TODAY = "2026-11-28"
BASES = ["avg_6_1_c", "vw_107_4", "vv_7_1e"]


def _example_flows() -> list[dict[str, Any]]:
    flows = []
    for path in sorted((ROOT / "examples").rglob("*.flow.*")):
        text = path.read_text(encoding="utf-8")
        document = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        flows.extend(document["flows"])
    return flows


def _exchange(flow: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in flow.items() if k not in ("id", "description")}


def _decide(document: dict[str, Any], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("decide", "--today", TODAY, *args, stdin=json.dumps(document))


@pytest.mark.parametrize("flow", _example_flows(), ids=lambda f: f["id"])
def test_decide_allows_exactly_what_check_allows_on_each_example(flow: dict[str, Any], tmp_path: Path) -> None:
    path = write(tmp_path, "one.flow.yaml", yaml.safe_dump({"version": 1, "flows": [flow]}, sort_keys=False))
    checked = run_cli("check", "--format", "json", "--today", TODAY, str(path))
    decided = _decide({"exchange": _exchange(flow)})
    assert checked.returncode in (0, 1), checked.stderr
    assert decided.returncode == checked.returncode, decided.stderr
    verdict = json.loads(checked.stdout)["flows"][0]["verdict"]
    answer = json.loads(decided.stdout)
    assert answer["decision"] == verdict
    errors = {f["rule"] for f in json.loads(checked.stdout)["flows"][0]["findings"] if f["severity"] == "error"}
    assert {r["rule"] for r in answer["reasons"] if r["severity"] == "error"} == errors


def test_decide_allows_exactly_what_check_allows_on_a_generated_set(tmp_path: Path, opa_binary: str) -> None:
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "bench/generate.py", "--flows", "400", "--files", "4", "--json",
         "--out", str(tmp_path)],
        cwd=ROOT, check=True, timeout=120,
    )  # fmt: skip
    flows = [f for p in sorted(tmp_path.glob("*.flow.json")) for f in json.loads(p.read_text())["flows"]]
    query = (
        "[[f.id, c, d] | some f in input.flows; "
        f'c := data.ketencheck.main.result.verdicts[f.id] with input as {{"flows": [f], "today": "{TODAY}"}}; '
        "d := data.ketencheck.decide.decision.decision with input as "
        f'{{"exchange": object.remove(f, ["id", "description"]), "today": "{TODAY}"}}]'
    )
    done = subprocess.run(
        [opa_binary, "eval", "--format=json", "--stdin-input", "-d", str(ROOT / "policies"),
         "--ignore", "*_test.rego", query],
        input=json.dumps({"flows": flows}).encode(), capture_output=True, timeout=300, check=True,
    )  # fmt: skip
    rows = json.loads(done.stdout)["result"][0]["expressions"][0]["value"]
    assert len(rows) == len(flows) == 400
    assert [r for r in rows if r[1] != r[2]] == []
    assert {r[1] for r in rows} == {"allow", "deny"}


def test_the_seed_integral_is_denied_with_the_special_fields_to_strip() -> None:
    exchange = {"from": "IND", "to": "COA", "document": "beschikking_afwijzend", "form": "integral",
                "purpose": "einde_opvang", "legal_basis": BASES, "channel": "bvv"}  # fmt: skip
    done = _decide({"exchange": exchange, "context": {"trace_id": "t-1"}})
    assert done.returncode == 1, done.stderr
    answer = json.loads(done.stdout)
    assert {"asielmotief", "geloofwaardigheidsbeoordeling", "motivering"} <= set(answer["strip"])
    assert set(answer["strip"]).isdisjoint(answer["allowed_fields"])
    assert answer["trace_id"] == "t-1"
    assert answer["pack_revision"].startswith("1.1.0+")
    rule = next(r for r in answer["reasons"] if r["rule"] == "integral_not_proportional")
    assert rule["legal_refs"][0] == "AVG art. 5(1)(c)"
    assert rule["legal_sources"][0]["url"].startswith("https://eur-lex.europa.eu/")


def test_flags_give_the_same_decision_as_json() -> None:
    done = run_cli(
        "decide", "--from", "IND", "--to", "COA", "--document", "beschikking_afwijzend", "--field", "v_nummer",
        "--purpose", "einde_opvang", "--basis", "avg_6_1_c", "--basis", "vw_107_4", "--basis", "vv_7_1e",
        "--channel", "bvv", "--format", "text",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("allow: exchange (pack 1.1.0+")


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("not json", "not valid JSON"),
        ("[]", "must be a JSON object"),
        ('{"exchange": {"from": "IND"}}', "to: required"),
        (
            '{"exchange": {"from": "IND", "to": "COA", "document": "d", "form": "extract", "purpose": "p", '
            '"legal_basis": ["b"]}}',
            "fields: required when form is extract",
        ),
        (
            '{"exchange": {"from": "IND", "to": "COA", "document": "d", "form": "integral", "purpose": "p", '
            '"legal_basis": ["b"]}, "context": {"flow_id": 3}}',
            "context: must be an object",
        ),
        ('{"subject": {"id": "COA"}, "resource": {"type": "d"}}', "invalid"),
        ('{"something": 1}', "must hold 'exchange'"),
    ],
)
def test_bad_input_is_exit_2(stdin: str, message: str) -> None:
    done = run_cli("decide", stdin=stdin)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_approved_flows_bound_the_exchange(tmp_path: Path) -> None:
    approved = str(ROOT / "examples" / "seed" / "ind-coa-extracten.flow.yaml")
    exchange = {"from": "IND", "to": "COA", "document": "beschikking_afwijzend", "form": "extract",
                "fields": ["v_nummer", "rechtmatig_verblijf", "besluitdatum"], "purpose": "einde_opvang",
                "legal_basis": BASES, "channel": "bvv"}  # fmt: skip
    context = {"flow_id": "ind-coa-einde-opvang"}
    # besluitdatum is in the row's extract, but not in the approved flow: run time cannot exceed design time.
    assert _decide({"exchange": exchange}).returncode == 0
    done = _decide({"exchange": exchange, "context": context}, "--approved", approved)
    assert done.returncode == 1, done.stderr
    answer = json.loads(done.stdout)
    assert answer["strip"] == ["besluitdatum"]
    assert [r["rule"] for r in answer["reasons"] if r["severity"] == "error"] == ["approved_flow"]
    within = {**exchange, "fields": ["v_nummer", "rechtmatig_verblijf"]}
    assert _decide({"exchange": within, "context": context}, "--approved", approved).returncode == 0


def test_only_allowed_flows_can_be_approved() -> None:
    exchange = {"from": "IND", "to": "COA", "document": "beschikking_afwijzend", "form": "integral",
                "purpose": "einde_opvang", "legal_basis": BASES}  # fmt: skip
    done = _decide({"exchange": exchange}, "--approved", "examples/seed/ind-coa-integraal.flow.yaml")
    assert done.returncode == 2
    assert "only flows that check allows can be approved" in done.stderr
