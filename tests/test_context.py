"""Which context flows a staged change can have turned (checker/context.py)."""

from __future__ import annotations

from checker.context import affected
from checker.model import Flow, FlowId


def _flow(id_: str, sender: str, recipient: str, document: str = "d") -> Flow:
    return Flow(FlowId(id_), "f.flow.yaml", 1, 0, {"id": id_, "from": sender, "to": recipient, "document": document})


def test_downstream_flows_are_affected_transitively_and_others_not() -> None:
    staged = [_flow("a-b", "A", "B")]
    context = [
        _flow("b-c", "B", "C"),
        _flow("c-d", "C", "D"),
        _flow("d-b", "D", "B"),  # a cycle ends
        _flow("x-y", "X", "Y"),
        _flow("a-e", "A", "E"),  # same sender, not downstream
    ]
    assert affected(staged, context) == {"b-c", "c-d", "d-b"}


def test_flows_of_the_same_document_to_the_same_recipient_are_affected() -> None:
    staged = [_flow("a-b", "A", "B", "doc")]
    context = [_flow("x-b", "X", "B", "doc"), _flow("x-b-other", "X", "B", "other"), _flow("b-c", "B", "C", "z")]
    # x-b-other receives another document, but it is downstream of nothing: only aggregation peers and b-c.
    assert affected(staged, context) == {"x-b", "b-c"}


def test_nothing_staged_affects_nothing() -> None:
    assert affected([], [_flow("b-c", "B", "C")]) == frozenset()
