from __future__ import annotations

import pytest

from checker.engine.codec import parse_rules
from checker.model import ExitCode, Finding, FlowId, FlowResult, InvalidInput, Report, RuleName, Severity, Verdict
from checker.model import Flow as FlowModel


def _flow(id: str, file: str = "a.flow.yaml", index: int = 0) -> FlowModel:
    return FlowModel(FlowId(id), file, index + 3, index, {"id": id})


def _finding(flow: str, severity: Severity, rule: str = "r") -> Finding:
    return Finding(FlowId(flow), RuleName(rule), severity, "m", ("AVG art. 5(1)(c)",))


def test_an_error_denies_a_warning_does_not() -> None:
    assert FlowResult(_flow("a"), (_finding("a", Severity.ERROR),)).verdict is Verdict.DENY
    assert FlowResult(_flow("a"), (_finding("a", Severity.WARNING),)).verdict is Verdict.ALLOW
    assert FlowResult(_flow("a"), ()).verdict is Verdict.ALLOW


def test_exit_codes_take_the_highest_that_applies() -> None:
    flows = [_flow("a"), _flow("b", index=1)]
    clean = Report.create(flows, [], [])
    warned = Report.create(flows, [_finding("a", Severity.WARNING)], [])
    denied = Report.create(flows, [_finding("a", Severity.ERROR)], [])
    broken = Report.create(flows, [_finding("a", Severity.ERROR)], [InvalidInput("x", 1, "bad")])
    assert clean.exit_code() is ExitCode.OK
    assert warned.exit_code() is ExitCode.OK
    assert warned.exit_code(Severity.WARNING) is ExitCode.DENIED
    assert denied.exit_code() is ExitCode.DENIED
    assert broken.exit_code() is ExitCode.INPUT_ERROR


def test_info_never_fails_the_run() -> None:
    report = Report.create([_flow("a")], [_finding("a", Severity.INFO)], [])
    assert report.exit_code(Severity.WARNING) is ExitCode.OK


def test_results_are_ordered_by_file_then_position_and_findings_by_severity() -> None:
    flows = [_flow("z", "b.flow.yaml", 0), _flow("y", "a.flow.yaml", 1), _flow("x", "a.flow.yaml", 0)]
    findings = [_finding("x", Severity.WARNING, "w"), _finding("x", Severity.ERROR, "e")]
    report = Report.create(flows, findings, [])
    assert [r.flow.id for r in report.results] == ["x", "y", "z"]
    assert [f.rule for f in report.results[0].findings] == ["e", "w"]
    assert (report.allowed, report.denied) == (2, 1)


def _annotation(scope: str, refs: list[str], title: str) -> dict[str, object]:
    path = [{"value": v} for v in ("data", "ketencheck", "rules", "no_need_to_know", "deny")]
    notes = {"scope": scope, "title": title, "custom": {"severity": "error", "legal_refs": refs}}
    return {"path": path, "annotations": notes, "location": {"file": "x.rego"}}


@pytest.mark.parametrize("order", [("document", "rule"), ("rule", "document")])
def test_a_rule_with_a_block_per_body_is_one_rule_with_every_reference(order: tuple[str, str]) -> None:
    # no_need_to_know cites lid 4 for a bestuursorgaan and lid 8 for any other recipient: one rule, both laws.
    blocks = {
        "document": _annotation("document", ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)"], "No need to know"),
        "rule": _annotation("rule", ["AVG art. 5(1)(c)", "Vw 2000 art. 107(8)"], "No need to know (lid 8)"),
    }
    [rule] = parse_rules([blocks[scope] for scope in order], "opa inspect")
    assert rule.title == "No need to know"
    assert rule.legal_refs == ("AVG art. 5(1)(c)", "Vw 2000 art. 107(4)", "Vw 2000 art. 107(8)")
