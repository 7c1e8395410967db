"""The opa subprocess engine against the real opa, and against stand-ins that misbehave on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker.engine.interface import Request
from checker.engine.opa_cli import OpaCliEngine, find_opa
from checker.errors import EngineFailed, EngineNotFound, EngineOutputError, EngineTimeout
from checker.loader import load
from checker.model import Flow
from checker.resources import policies_dir
from tests.conftest import INTEGRAL, LAWFUL, write


def _flows(tmp_path: Path) -> tuple[Flow, ...]:
    write(tmp_path, "flows/a.flow.yaml", LAWFUL)
    write(tmp_path, "flows/b.flow.yaml", INTEGRAL)
    return load([str(tmp_path / "flows")]).flows


def _stand_in(tmp_path: Path, script: str) -> str:
    path = write(tmp_path, "bin/opa", "#!/bin/sh\n" + script + "\n")
    path.chmod(0o755)
    return str(path)


@pytest.mark.opa
def test_real_opa_evaluates_every_flow_in_one_query(tmp_path: Path, opa_binary: str) -> None:
    evaluation = OpaCliEngine(opa_binary).evaluate(Request(_flows(tmp_path)))
    assert {(f.flow, f.rule) for f in evaluation.findings} == {
        ("ind-coa-integraal", "integral_not_proportional"),
        ("ind-coa-integraal", "special_category_data"),
        ("ind-coa-integraal", "retention_missing"),
    }
    assert evaluation.engine.version == "1.22.3"
    assert evaluation.engine.pack["name"] == "vreemdelingenketen"


@pytest.mark.opa
def test_real_opa_reads_the_catalogue(opa_binary: str) -> None:
    catalogue = OpaCliEngine(opa_binary).catalogue()
    assert "COA" in catalogue["partners"]
    assert len(catalogue["matrix"]["rows"]) == 34


@pytest.mark.opa
def test_a_policy_that_does_not_compile_fails_the_engine(tmp_path: Path, opa_binary: str) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(policies_dir(), pack)
    write(pack, "ketencheck/rules/broken/broken.rego", "package ketencheck.rules.broken\n\ndeny contains x if {\n")
    with pytest.raises(EngineFailed, match="could not evaluate the policies|exited with code"):
        OpaCliEngine(opa_binary, pack).evaluate(Request(_flows(tmp_path)))


@pytest.mark.opa
def test_a_pack_without_the_entry_point_is_not_a_pass(tmp_path: Path, opa_binary: str) -> None:
    write(tmp_path, "pack/other.rego", "package other\n\nx := 1\n")
    with pytest.raises(EngineOutputError, match="no result for data.ketencheck.main.result"):
        OpaCliEngine(opa_binary, tmp_path / "pack").evaluate(Request(_flows(tmp_path)))


# The protocol: `opa eval --format=raw --fail` of {"result": QUERY}; the value on stdout as compact JSON, exit 1 with
# nothing on stdout for an undefined query, exit 2 with the errors on stderr.
@pytest.mark.parametrize(
    ("script", "error", "message"),
    [
        ("echo 'not json'", EngineOutputError, "opa wrote no JSON: not json"),
        ("true", EngineOutputError, r"opa wrote no JSON: \(no output\)"),
        ('echo \'{"result": {"findings"\' ', EngineOutputError, "no JSON"),
        ("echo '{}'", EngineOutputError, "no result"),
        ("exit 1", EngineOutputError, "no result for data.ketencheck.main.result"),
        ("echo '[]'", EngineOutputError, "not an object"),
        ("echo '\"{}\"'", EngineOutputError, "not an object"),
        ("echo 'segfault' >&2; exit 139", EngineFailed, "exited with code 139: segfault"),
        ("echo 'half' ; echo 'bad' >&2; exit 1", EngineFailed, "exited with code 1: bad"),
        ("kill -9 $$", EngineFailed, "opa was killed by signal 9 (SIGKILL) before it answered"),
        ('echo \'{"result": {"findings": []\'; kill -9 $$', EngineFailed, "opa was killed by signal 9"),
        (
            "echo '1 error occurred: x.rego:3: eval_builtin_error: boom' >&2; "
            "printf '\\nTraceback:\\n  x.rego:3: 1/0\\n' >&2; exit 2",
            EngineFailed,
            "could not evaluate the policies: 1 error occurred: x.rego:3: eval_builtin_error: boom$",
        ),
        ('echo \'{"result": {"findings": []}}\'; echo boom >&2; exit 2', EngineFailed, "could not evaluate.*: boom"),
        ('echo \'{"result": {"findings": [{"flow": 1}]}}\'', EngineOutputError, "malformed finding"),
        (
            'echo \'{"result": {"findings": ['
            '{"flow": "ghost", "rule": "r", "severity": "error", "message": "m", "legal_refs": []}'
            "]}}'",
            EngineOutputError,
            "unknown flow 'ghost'",
        ),
        (
            'echo \'{"result": {"findings": ['
            '{"flow": "ind-coa-integraal", "rule": "r", "severity": "fatal", "message": "m", '
            '"legal_refs": []}]}}\'',
            EngineOutputError,
            "malformed finding",
        ),
        ("echo '{\"result\": 3}'", EngineOutputError, "instead of a result"),
        # The answer of the wrapped --format=json protocol is not taken for a result.
        (
            'echo \'{"result": [{"expressions": [{"value": {"findings": []}}]}]}\'',
            EngineOutputError,
            "instead of a result",
        ),
    ],
)
def test_a_misbehaving_engine_never_passes(tmp_path: Path, script: str, error: type[Exception], message: str) -> None:
    engine = OpaCliEngine(_stand_in(tmp_path, "cat >/dev/null\n" + script))
    with pytest.raises(error, match=message.replace("(SIGKILL)", r"\(SIGKILL\)")):
        engine.evaluate(Request(_flows(tmp_path)))


def test_a_hanging_engine_times_out(tmp_path: Path) -> None:
    engine = OpaCliEngine(_stand_in(tmp_path, "exec sleep 30"), timeout=0.5)
    with pytest.raises(EngineTimeout, match="did not finish within 0.5 s"):
        engine.evaluate(Request(_flows(tmp_path)))


def test_a_missing_binary(tmp_path: Path) -> None:
    with pytest.raises(EngineNotFound, match="not found"):
        OpaCliEngine(str(tmp_path / "no-opa")).evaluate(Request(_flows(tmp_path)))


def test_find_opa_prefers_the_explicit_path_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KETENCHECK_OPA", "/from/env")
    assert find_opa("/explicit") == "/explicit"
    assert find_opa() == "/from/env"
