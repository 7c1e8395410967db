"""Which context flows a change can have turned: the part of a pre-commit run that is not staged.

The pre-commit hook reports the staged flows and reads the rest of the repository as context. A staged change
can deny a context flow through the chain: narrowing an inbound flow takes away the forwarding flow's source
(provenance), a new extract adds to what a recipient collects (aggregation). Such a flow's file is not staged,
so it is reported only when it is downstream of a staged flow (its sender receives from a staged flow, directly
or through other context flows) or receives the same document as one; and then only its chain findings, the
only ones a change elsewhere can cause. Without the committed tree a chain finding that predates the change
cannot be told apart: it is reported too, erring closed.
"""

from __future__ import annotations

from collections.abc import Sequence

from checker.model import Flow, FlowId


def affected(changed: Sequence[Flow], context: Sequence[Flow]) -> frozenset[FlowId]:
    """The context flows whose chain findings the changed flows can have caused."""
    by_sender: dict[str, list[Flow]] = {}
    for flow in context:
        by_sender.setdefault(str(flow.document.get("from")), []).append(flow)
    reached: set[FlowId] = set()
    partners = [str(flow.document.get("to")) for flow in changed]
    seen_partners: set[str] = set()
    while partners:
        partner = partners.pop()
        if partner in seen_partners:
            continue
        seen_partners.add(partner)
        for flow in by_sender.get(partner, []):
            reached.add(flow.id)
            partners.append(str(flow.document.get("to")))
    groups = {_group(flow) for flow in changed} | {_group(flow) for flow in context if flow.id in reached}
    reached.update(flow.id for flow in context if _group(flow) in groups)
    return frozenset(reached)


def _group(flow: Flow) -> tuple[str, str]:
    # Aggregation looks at what one recipient receives of one document.
    return (str(flow.document.get("to")), str(flow.document.get("document")))
