"""The decision benchmark of `make bench` (bench/decision.py, bench/run.py), at the smallest sizes: it measures
a real decision on the signed bundle and a real server, and refuses to time a decision that is not there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import decision  # noqa: E402

pytestmark = pytest.mark.opa

KETENCHECK = str(Path(sys.executable).parent / "ketencheck")
VEGETA = Path(os.environ.get("KETENCHECK_VEGETA", ROOT / ".tools" / "vegeta-v12.13.0" / "vegeta"))


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return decision.signed_bundle(KETENCHECK, tmp_path_factory.mktemp("decision") / "bundles")


def _input(tmp_path: Path, flows: int) -> Path:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(decision.decision_input(flows)), encoding="utf-8")
    return path


def test_the_query_is_the_decision_path_under_data() -> None:
    assert decision.query("ketencheck/main/result") == "data.ketencheck.main.result"
    assert decision.query("/ketencheck/decide") == "data.ketencheck.decide"


def test_opa_bench_times_one_flow_on_the_signed_bundle(
    opa_binary: str, signed: tuple[Path, Path], tmp_path: Path
) -> None:
    result = decision.opa_bench(opa_binary, signed[0], _input(tmp_path, 1), "data.ketencheck.main.result")
    assert result.flows == 1
    assert result.iterations >= 1
    assert result.ns_per_op > 0
    assert result.allocs_per_op > 0


def test_opa_bench_refuses_a_query_without_a_decision(
    opa_binary: str, signed: tuple[Path, Path], tmp_path: Path
) -> None:
    # An undefined query evaluates in nanoseconds: timing it would be a fast lie.
    with pytest.raises(SystemExit, match="opa bench of data.ketencheck.main.no_such_rule failed"):
        decision.opa_bench(opa_binary, signed[0], _input(tmp_path, 1), "data.ketencheck.main.no_such_rule")


def test_the_load_test_refuses_a_path_without_a_decision(
    opa_binary: str, signed: tuple[Path, Path], tmp_path: Path
) -> None:
    # OPA answers 200 with no result for an undefined path, which a load generator counts as a success.
    bundle, public_key = signed
    with pytest.raises(SystemExit, match="gives no decision for a single flow"):
        decision.load_test(
            opa_binary, "/nonexistent/vegeta", bundle.parent, public_key, tmp_path,
            path="ketencheck/main/no_such_rule", rate=10, seconds=1, distinct=2,
        )  # fmt: skip


def test_the_load_test_logs_and_masks_every_decision(
    opa_binary: str, signed: tuple[Path, Path], tmp_path: Path
) -> None:
    if not VEGETA.is_file():
        # make test builds it; in CI a missing tool is a failure, never a skip (as for opa).
        if os.environ.get("CI"):
            pytest.fail(f"vegeta is missing at {VEGETA}: make test builds it")
        pytest.skip("vegeta is built by `make test` and `make bench`")
    bundle, public_key = signed
    load = decision.load_test(
        opa_binary, str(VEGETA), bundle.parent, public_key, tmp_path,
        path="ketencheck/main/result", rate=20, seconds=1, distinct=5,
    )  # fmt: skip
    assert load.requests == load.ok == 20
    assert load.errors == ()
    assert load.logged == load.masked == 20
    assert 0 < load.p50_ms <= load.p99_ms <= load.max_ms
    assert 0 < load.eval_p50_ms <= load.handler_p50_ms


def test_bench_run_prints_the_decision_rows_in_its_table(tmp_path: Path) -> None:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "bench/run.py", "--sizes", "", "--decision-sizes", "1", "--load-seconds", "0",
         "--vegeta", "", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert "| flows (files) | ketencheck | floor: bare `opa eval` |" in table
    assert "| 1 flow: `opa bench` of `data.ketencheck.main.result` | - | " in table
    assert "allocs/op" in table
    assert "- one flow <= 1 ms per evaluation (`opa bench`): " in table
    assert "- Server under load: not run" in table
