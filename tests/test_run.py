"""The run pipeline (checker/run.py) and what it asks the engine: facts only for the audit, through one codec."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker import cli
from checker.audit import register, view
from checker.engine.codec import parse_result, policy_input
from checker.engine.interface import Request
from checker.errors import EngineOutputError
from checker.model import Flow as FlowModel
from checker.model import FlowFacts, FlowId, Report
from tests.conftest import INTEGRAL, LAWFUL, FakeEngine, write


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    fake = FakeEngine()
    monkeypatch.setattr(cli, "_engine", lambda *args: fake)
    return fake


def test_check_asks_for_no_facts_and_the_audit_does(tmp_path: Path, engine: FakeEngine) -> None:
    flows = str(write(tmp_path, "a.flow.yaml", LAWFUL))
    assert CliRunner().invoke(cli.main, ["check", flows]).exit_code == 0
    audit = CliRunner().invoke(cli.main, ["audit", "--out", str(tmp_path / "out"), flows])
    assert audit.exit_code == 0, audit.output
    assert [r.facts for r in engine.requests] == [False, True]


def test_one_engine_serves_the_whole_audit_and_none_starts_without_flows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[FakeEngine] = []

    def start(*args: object) -> FakeEngine:
        started.append(FakeEngine())
        return started[-1]

    monkeypatch.setattr(cli, "_engine", start)
    flows = str(write(tmp_path, "a.flow.yaml", INTEGRAL))
    assert CliRunner().invoke(cli.main, ["audit", "--out", str(tmp_path / "out"), flows]).exit_code == 0
    assert len(started) == 1  # evaluated and asked for the catalogue: one engine, started once
    broken = str(write(tmp_path, "b.flow.yaml", "version: 1\nflows: [{id: x}]\n"))
    assert CliRunner().invoke(cli.main, ["check", broken]).exit_code == 2
    assert len(started) == 1


def test_the_input_asks_for_facts_only_when_the_request_does() -> None:
    flow = FlowModel(FlowId("f"), "a.flow.yaml", 3, 0, {"id": "f"})
    assert "facts" not in policy_input(Request([flow]))
    assert policy_input(Request([flow], facts=True))["facts"] is True


def _answer(**extra: object) -> dict[str, object]:
    return {"findings": [], "verdicts": {"f": "allow"}, **extra}


def test_an_answer_without_the_facts_asked_for_is_an_engine_error() -> None:
    flow = FlowModel(FlowId("f"), "a.flow.yaml", 3, 0, {"id": "f"})
    asked = Request([flow], today=datetime.date(2026, 11, 28), facts=True)
    with pytest.raises(EngineOutputError, match="no facts"):
        parse_result(_answer(), asked, "opa")
    with pytest.raises(EngineOutputError, match="malformed facts"):
        parse_result(_answer(facts={"f": {"carried": "x", "categories": [], "allowed_form": "none", "row": None}}),
                     asked, "opa")  # fmt: skip
    facts = {"f": {"carried": ["a"], "categories": ["special"], "allowed_form": "extract", "row": "r1"}}
    assert parse_result(_answer(facts=facts), asked, "opa").facts == {
        "f": FlowFacts(("a",), ("special",), "extract", "r1")
    }
    # Not asked for: nothing is read, whatever the answer holds.
    assert parse_result(_answer(facts=facts), Request([flow]), "opa").facts == {}


def test_the_audit_shows_the_facts_the_policies_returned_not_its_own_reading_of_the_catalogue() -> None:
    document = {"id": "f", "from": "IND", "to": "BZ", "document": "d", "form": "extract", "fields": ["b", "x", "a"]}
    flow = FlowModel(FlowId("f"), "a.flow.yaml", 3, 0, document)
    facts = {FlowId("f"): FlowFacts(("a", "b"), ("special",), "integral", "r1")}
    chain = view.build(Report.create([flow], [], [], facts=facts), {})  # a catalogue that knows nothing
    [entry] = register.entries(chain)
    assert entry["data_fields"] == ["b", "a"]  # the policies' fields, in the order the flow names them
    assert (entry["data_categories"], entry["special_categories"]) == (["special"], "yes")
    assert [c.allowed for c in chain.cells] == ["integral"]
    assert [e.special for e in chain.edges] == [True]
