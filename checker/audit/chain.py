"""What an audit shows, derived once from a report and the policy pack's catalogue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from checker.model import FlowResult, Report, Severity, Verdict

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
class Chain:
    """The audit's view of one run."""

    report: Report
    catalogue: Mapping[str, Any]
    partners: tuple[str, ...]
    edges: tuple[Edge, ...]
    cells: tuple[Cell, ...]

    def categories(self, result: FlowResult) -> list[str]:
        """The GDPR categories of the fields a flow carries, sorted."""
        return categories(result, self.catalogue)


def categories(result: FlowResult, catalogue: Mapping[str, Any]) -> list[str]:
    """The GDPR categories of the fields a flow carries, sorted."""
    fields = catalogue.get("fields", {})
    return sorted({str(fields.get(f, {}).get("category", "unknown")) for f in carried(result, catalogue)})


def _sensitive(result: FlowResult, catalogue: Mapping[str, Any]) -> bool:
    # Whether the flow carries special-category or criminal data.
    return any(c in SENSITIVE for c in categories(result, catalogue))


def carried(result: FlowResult, catalogue: Mapping[str, Any]) -> list[str]:
    """The fields a flow carries that its document holds, as the policies count them."""
    flow = result.flow.document
    held = list(catalogue.get("documents", {}).get(flow.get("document"), {}).get("fields", []))
    if flow.get("form") == "integral":
        return held
    return [f for f in flow.get("fields", []) if f in held]


def build(report: Report, catalogue: Mapping[str, Any]) -> Chain:
    """Partners, edges and matrix cells of the flows in the report."""
    partners = sorted({str(r.flow.document.get(k)) for r in report.results for k in ("from", "to")})
    by_pair: dict[tuple[str, str], list[FlowResult]] = {}
    for result in report.results:
        key = (str(result.flow.document.get("from")), str(result.flow.document.get("to")))
        by_pair.setdefault(key, []).append(result)
    edges = tuple(
        Edge(sender, recipient, tuple(flows), any(_sensitive(r, catalogue) for r in flows))
        for (sender, recipient), flows in sorted(by_pair.items())
    )
    return Chain(report, catalogue, tuple(partners), edges, _cells(report.results, catalogue))


def _cells(results: Sequence[FlowResult], catalogue: Mapping[str, Any]) -> tuple[Cell, ...]:
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
                allowed_form(catalogue, recipient, document),
                tuple(sorted({str(r.flow.document.get("form")) for r in flows})),
                status(flows),
            )
        )
    return tuple(cells)


def allowed_form(catalogue: Mapping[str, Any], recipient: str, document: str) -> str:
    """The widest form the matrix gives a recipient for a document: integral, extract or none."""
    forms = {
        str(row.get("form"))
        for row in catalogue.get("matrix", {}).get("rows", [])
        if recipient in row.get("recipients", [])
        and (document in row.get("documents", []) or "*" in row.get("documents", []))
    }
    if "integral" in forms:
        return "integral"
    return "extract" if "extract" in forms else "none"
