"""What an audit shows: a view over a report whose flows carry the facts the policies established."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from checker.model import FlowFacts, FlowResult, Report, Severity, Verdict

SENSITIVE = ("special", "criminal")


@dataclass(frozen=True)
class Edge:
    """All flows from one partner to another: one arrow in the diagram."""

    sender: str
    recipient: str
    flows: tuple[FlowResult, ...]
    special: bool
    """At least one of the flows carries special-category or criminal data."""

    @property
    def status(self) -> str:
        """deny, warn or allow: the worst verdict among the edge's flows."""
        return status(self.flows)

    @property
    def documents(self) -> list[str]:
        """The documents that travel along this edge, with counts, for a label."""
        counts: dict[str, int] = {}
        for r in self.flows:
            document = str(r.flow.document.get("document"))
            counts[document] = counts.get(document, 0) + 1
        return [f"{doc} ×{n}" if n > 1 else doc for doc, n in sorted(counts.items())]


def status(flows: Sequence[FlowResult]) -> str:
    """deny if any flow is denied, warn if any has a warning that counts, else allow."""
    if any(r.verdict is Verdict.DENY for r in flows):
        return "deny"
    if any(f.counts and f.severity is Severity.WARNING for r in flows for f in r.findings):
        return "warn"
    return "allow"


@dataclass(frozen=True)
class Cell:
    """One cell of the partner × document matrix: what policy allows against what flows ask for."""

    recipient: str
    document: str
    allowed: str
    """integral, extract, or none: the widest form any matrix row gives this recipient for this document."""
    requested: tuple[str, ...]
    """The forms the flows to this recipient ask for, sorted."""
    status: str
    """deny, warn or allow: the worst verdict among those flows."""


@dataclass(frozen=True)
class AuditView:
    """The audit's view of one run: the report and the facts the policies returned for each flow
    (FlowResult.facts), arranged as partners, edges and matrix cells. Nothing here judges a flow again."""

    report: Report
    catalogue: Mapping[str, Any]
    """The pack's catalogue, for names and descriptions (partners, purposes, legal bases) only."""
    partners: tuple[str, ...]
    edges: tuple[Edge, ...]
    cells: tuple[Cell, ...]

    @property
    def pack(self) -> str:
        """The pack in use, as the text report's header names it (name and version, revision, source); "?" when
        nothing was evaluated."""
        return self.report.engine.pack_in_use if self.report.engine else "?"

    def categories(self, result: FlowResult) -> list[str]:
        """The GDPR categories of the fields a flow carries, sorted."""
        return list(_facts(result).categories)

    def fields(self, result: FlowResult) -> list[str]:
        """The fields a flow carries, as the policies count them, in the order they were written: the flow's own
        for an extract, the document's for an integral flow."""
        carried = set(_facts(result).carried)
        flow = result.flow.document
        if flow.get("form") == "extract":
            written = list(flow.get("fields", []))
        else:
            written = list(self.catalogue.get("documents", {}).get(flow.get("document"), {}).get("fields", []))
        return [f for f in written if f in carried]


_NO_FACTS = FlowFacts((), (), "none", None)


def _facts(result: FlowResult) -> FlowFacts:
    # Every flow the audit evaluated has facts; a result without them (an engine that returns none) shows nothing.
    return result.facts or _NO_FACTS


def _sensitive(result: FlowResult) -> bool:
    # Whether the flow carries special-category or criminal data.
    return any(c in SENSITIVE for c in _facts(result).categories)


def build(report: Report, catalogue: Mapping[str, Any]) -> AuditView:
    """Partners, edges and matrix cells of the flows in the report."""
    partners = sorted({str(r.flow.document.get(k)) for r in report.results for k in ("from", "to")})
    by_pair: dict[tuple[str, str], list[FlowResult]] = {}
    for result in report.results:
        key = (str(result.flow.document.get("from")), str(result.flow.document.get("to")))
        by_pair.setdefault(key, []).append(result)
    edges = tuple(
        Edge(sender, recipient, tuple(flows), any(_sensitive(r) for r in flows))
        for (sender, recipient), flows in sorted(by_pair.items())
    )
    return AuditView(report, catalogue, tuple(partners), edges, _cells(report.results))


def _cells(results: Sequence[FlowResult]) -> tuple[Cell, ...]:
    by_cell: dict[tuple[str, str], list[FlowResult]] = {}
    for result in results:
        key = (str(result.flow.document.get("to")), str(result.flow.document.get("document")))
        by_cell.setdefault(key, []).append(result)
    cells = []
    for (recipient, document), flows in sorted(by_cell.items()):
        cells.append(
            Cell(
                recipient,
                document,
                # The same for every flow of the cell: the widest form any row gives the recipient for the document.
                _facts(flows[0]).allowed_form,
                tuple(sorted({str(r.flow.document.get("form")) for r in flows})),
                status(flows),
            )
        )
    return tuple(cells)
