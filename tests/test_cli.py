"""The CLI with a fake engine: exit codes, options and messages, without OPA."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from checker import cli
from checker.errors import EngineTimeout
from checker.model import Finding, Flow, RuleName, Severity
from tests.conftest import INTEGRAL, LAWFUL, FakeEngine, write


def _deny_integral(flow: Flow) -> Finding | None:
    if flow.document.get("form") != "integral":
        return None
    return Finding(flow.id, RuleName("integral_not_proportional"), Severity.ERROR, "too much", ("AVG art. 5(1)(c)",))


def _warn_all(flow: Flow) -> Finding | None:
    return Finding(flow.id, RuleName("legal_basis_not_applicable"), Severity.WARNING, "hm", ("AVG art. 5(2)",))


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    fake = FakeEngine([_deny_integral])
    monkeypatch.setattr(cli, "_engine", lambda *args: fake)
    return fake


def _check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.main, ["check", *args])
    return result.exit_code, result.output


def test_allowed_flows_exit_0(tmp_path: Path, engine: FakeEngine) -> None:
    code, out = _check(str(write(tmp_path, "a.flow.yaml", LAWFUL)))
    assert code == 0
    assert "1 flow checked: 1 allowed, 0 denied" in out
    assert engine.calls == 1


def test_a_denied_flow_exits_1(tmp_path: Path, engine: FakeEngine) -> None:
    code, out = _check(str(write(tmp_path, "a.flow.yaml", INTEGRAL)))
    assert code == 1
    assert "DENY  ind-coa-integraal" in out


def test_input_errors_exit_2_and_the_rest_is_still_checked(tmp_path: Path, engine: FakeEngine) -> None:
    write(tmp_path, "a.flow.yaml", INTEGRAL)
    write(tmp_path, "b.flow.yaml", "version: 1\nflows: [")
    code, out = _check("--format", "json", str(tmp_path))
    assert code == 2
    report = json.loads(out)
    assert report["summary"] == {"flows": 1, "allowed": 0, "denied": 1, "errors": 1, "waived": 0, "baselined": 0}


def test_all_flows_go_to_the_engine_in_one_call(tmp_path: Path, engine: FakeEngine) -> None:
    write(tmp_path, "a.flow.yaml", LAWFUL)
    write(tmp_path, "b.flow.yaml", INTEGRAL)
    _check(str(tmp_path))
    assert engine.calls == 1


def test_no_valid_flows_means_no_engine_call(tmp_path: Path, engine: FakeEngine) -> None:
    code, _ = _check(str(write(tmp_path, "a.flow.yaml", "version: 2\nflows: []\n")))
    assert code == 2
    assert engine.calls == 0


def test_fail_on_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_engine", lambda *args: FakeEngine([_warn_all]))
    path = str(write(tmp_path, "a.flow.yaml", LAWFUL))
    assert _check(path)[0] == 0
    assert _check("--fail-on", "warning", path)[0] == 1


def test_output_file(tmp_path: Path, engine: FakeEngine) -> None:
    out = tmp_path / "report.json"
    code, printed = _check("--format", "json", "--output", str(out), str(write(tmp_path, "a.flow.yaml", LAWFUL)))
    assert code == 0
    assert printed == ""
    assert json.loads(out.read_text())["summary"]["allowed"] == 1


def _check_with_failing_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception) -> Result:
    class Failing(FakeEngine):
        def evaluate(self, request: object) -> object:  # type: ignore[override]
            raise error

    monkeypatch.setattr(cli, "_engine", lambda *args: Failing())
    return CliRunner().invoke(cli.main, ["check", str(write(tmp_path, "a.flow.yaml", LAWFUL))])


def test_an_engine_error_exits_3_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    timeout = EngineTimeout("opa did not finish within 1 s (--timeout)")
    result = _check_with_failing_engine(tmp_path, monkeypatch, timeout)
    assert result.exit_code == 3
    assert result.output == "ketencheck: error: opa did not finish within 1 s (--timeout)\n"


def test_an_unexpected_error_is_never_a_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _check_with_failing_engine(tmp_path, monkeypatch, RuntimeError("boom"))
    assert result.exit_code == 3
    assert "internal error (RuntimeError: boom); nothing was checked" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [["check"], ["check", "--format", "xml", "x"], ["check", "--timeout", "0", "x"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert CliRunner().invoke(cli.main, args).exit_code == 2


def test_catalogue_lists_partners(engine: FakeEngine) -> None:
    result = CliRunner().invoke(cli.main, ["catalogue", "partners"])
    assert result.exit_code == 0
    assert result.output.splitlines()[1].startswith("IND  Immigratie- en Naturalisatiedienst")
