"""Shared fixtures: the real opa (never skipped in CI), a fake engine for CLI tests, golden files."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

import pytest

from checker import i18n
from checker.engine.interface import Evaluation, Request
from checker.engine.opa_cli import find_opa
from checker.errors import EngineNotFound
from checker.model import EngineInfo, Finding, Flow, RuleInfo, RuleName, Severity, WaiverResult, WaiverStatus

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
KETENCHECK = Path(sys.executable).parent / "ketencheck"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden from the current output")


def _opa() -> str | None:
    """The opa the CLI would run, if it is there and executable."""
    try:
        found = find_opa()
    except EngineNotFound:
        return None
    path = shutil.which(found)
    return path if path is not None and os.access(path, os.X_OK) else None


def _missing_opa() -> NoReturn:
    # A test that needs OPA says so with @pytest.mark.opa (or the opa_binary fixture). Without opa it is skipped
    # on a workstation, with the reason; under CI it fails: a gate whose policy tests silently skip tests nothing.
    if os.environ.get("CI"):
        pytest.fail("this test needs opa, which is missing: in CI that is a failure, never a skip (run `make setup`)")
    pytest.skip("needs opa, which was not found (run `make setup`, or set KETENCHECK_OPA)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("opa") is not None and _opa() is None:
        _missing_opa()


_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture(autouse=True)
def _english_whatever_the_machine(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # The reader's language comes from the locale (issue 15): a developer with LANG=nl_NL.UTF-8 would otherwise
    # see Dutch where the goldens are English. Every test starts in the C locale, in process (i18n) and in every
    # child (run_cli copies os.environ); a test that wants Dutch says so with env= or --lang.
    for variable in _LOCALE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    i18n.use(i18n.Lang.EN)
    yield
    i18n.use(i18n.Lang.EN)


@pytest.fixture(scope="session")
def opa_binary() -> str:
    found = _opa()
    if found is None:
        _missing_opa()
    return found


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with tests/golden/<name>; --update-golden rewrites it."""

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if request.config.getoption("--update-golden"):
            path.write_text(actual, encoding="utf-8")
        assert path.exists(), f"missing golden file {path}; run pytest --update-golden"
        assert actual == path.read_text(encoding="utf-8")

    return check


def run_cli(
    *args: str, cwd: Path = ROOT, stdin: str | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed console script, as a user or CI runs it."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(KETENCHECK), *args], cwd=cwd, capture_output=True, text=True, input=stdin, env=full_env, timeout=120
    )


class FakeEngine:
    """Implements the Engine protocol with findings given up front (for CLI and formatter tests)."""

    def __init__(self, findings: Sequence[Callable[[Flow], Finding | None]] = ()) -> None:
        self._rules = findings
        self.calls = 0
        self.requests: list[Request] = []

    def evaluate(self, request: Request) -> Evaluation:
        self.calls += 1
        self.requests.append(request)
        found = [f for flow in request.flows for rule in self._rules if (f := rule(flow)) is not None]
        # The waiver protocol of main.rego for version 1 waivers: a waiver applies through its expiry day, to the
        # flow and rule it names (the fake's findings have no subject or digest to bind to).
        active = {(w.flow, w.rule): w for w in request.waivers if w.expires >= request.today}
        waived = [dataclasses.replace(f, waiver=active.get((f.flow, f.rule))) for f in found]
        named = {(f.flow, f.rule) for f in found}
        statuses = tuple(
            WaiverResult(
                w,
                WaiverStatus.EXPIRED
                if w.expires < request.today
                else WaiverStatus.APPLIED
                if (w.flow, w.rule) in named
                else WaiverStatus.UNMATCHED,
            )
            for w in request.waivers
        )
        return Evaluation(tuple(waived), EngineInfo("fake", "0.0.0", {"name": "fake", "version": "0"}), statuses)

    def rules(self) -> tuple[RuleInfo, ...]:
        return (
            RuleInfo(
                RuleName("integral_not_proportional"),
                "flow",
                "Integral where an extract suffices",
                "The row allows only an extract.",
                Severity.ERROR,
                ("AVG art. 5(1)(c)",),
            ),
        )

    def catalogue(self) -> Mapping[str, Any]:
        return {"partners": {"IND": {"name": "Immigratie- en Naturalisatiedienst", "task": "decides"}}}

    def close(self) -> None:
        pass


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel a pip install runs from, built once per session (no network: the dev extra's pinned hatchling)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-build-isolation",
            "--no-deps",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("ketencheck-*.whl")
    return built


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


GEMEENTE_AND_COA = """\
version: 1
flows:
  - id: ind-gemeente-huisvesting
    from: IND
    to: GEMEENTE
    document: beschikking_toewijzend
    form: extract
    fields: [v_nummer, naam, verblijfsgrond_asiel]
    purpose: huisvesting_vergunninghouders
    legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e, huisvestingswet_28]
    retention: P6M
  - id: ind-coa-einde-opvang
    from: IND
    to: COA
    document: beschikking_afwijzend
    form: extract
    fields: [v_nummer, rechtmatig_verblijf]
    purpose: einde_opvang
    legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e]
    retention: P4W
"""
"""Two lawful flows, IND to the municipality and IND to COA: the pack analyses' tests change a matrix row under them."""

LAWFUL = """\
version: 1
flows:
  - id: ind-coa-einde-opvang
    from: IND
    to: COA
    document: beschikking_afwijzend
    form: extract
    fields: [v_nummer, rechtmatig_verblijf]
    purpose: einde_opvang
    legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e]
    retention: P4W
"""

INTEGRAL = """\
version: 1
flows:
  - id: ind-coa-integraal
    from: IND
    to: COA
    document: beschikking_afwijzend
    form: integral
    purpose: einde_opvang
    legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e]
"""


def report_json(stdout: str) -> dict[str, Any]:
    document = json.loads(stdout)
    assert isinstance(document, dict)
    return document
