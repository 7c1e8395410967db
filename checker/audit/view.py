"""What an audit shows: a view over a report whose flows carry the facts the policies established."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from checker.i18n import _, ngettext
from checker.messages import Texts
from checker.model import FlowFacts, FlowResult, Report, Severity, Verdict, WaiverResult, WaiverStatus

SENSITIVE = ("special", "criminal")


@dataclass(frozen=True)
class Edge:
    """All flows from one partner to another: one arrow in the diagram."""

    sender: str
    recipient: str
    flows: tuple[FlowResult, ...]
    special: bool
    """At least one of the flows carries special-category or criminal data."""
    texts: Texts = field(default_factory=Texts, compare=False)
    """The reader's language and the names of ids, for the label."""

    @property
    def status(self) -> str:
        """deny, warn or allow: the worst verdict among the edge's flows."""
        return status(self.flows)

    @property
    def denied(self) -> bool:
        """Whether this edge holds the pair's denied flows: build() draws a pair's allowed and denied flows apart."""
        return self.status == "deny"

    @property
    def label(self) -> str:
        """The arrow's text, readable on paper and without colour: how many flows, allowed or denied, which
        documents, and §9/10 when they carry special-category or criminal data."""
        special = " §9/10" if self.special else ""
        return f"{len(self.flows)} {verdict_mark(self.status)}{special}: {', '.join(self.documents)}"

    @property
    def documents(self) -> list[str]:
        """The documents that travel along this edge, with counts, for a label, by their names."""
        counts: dict[str, int] = {}
        for r in self.flows:
            document = str(r.flow.document.get("document"))
            counts[document] = counts.get(document, 0) + 1
        named = sorted((self.texts.name("documents", doc), n) for doc, n in counts.items())
        return [f"{doc} ×{n}" if n > 1 else doc for doc, n in named]


def status_word(status: str) -> str:
    """A verdict (deny, warn, allow) in a word."""
    words = {"deny": _("deny"), "warn": _("warn"), "allow": _("allow")}
    return words.get(status, status)


def verdict_mark(status: str) -> str:
    """A verdict (deny, warn, allow) in words with a mark, so that it reads without colour."""
    marks = {"deny": _("✗ denied"), "warn": _("! allowed, warning"), "allow": _("✓ allowed")}
    return marks[status]


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
    reasons: tuple[str, ...] = ()
    """Why flows of the cell were denied, one line per rule: the rule and what it names (the surplus fields,
    the missing bases), from the subjects of the findings that count."""


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
    inputs: tuple[str, ...] = ()
    """The paths checked, as named on the command line."""
    checked_at: str = ""
    """When the run was made (UTC, to the second), for the summary a director signs off."""

    @property
    def pack(self) -> str:
        """The pack in use, as the text report's header names it (name and version, revision, source); "?" when
        nothing was evaluated."""
        return self.report.engine.pack_in_use if self.report.engine else "?"

    @property
    def texts(self) -> Texts:
        """Every word of a finding and every name of an id, in the reader's language."""
        return Texts.of(self.report)

    def worst(self, limit: int = 5) -> list[tuple[str, int, str]]:
        """The rules that deny most flows, for the summary: (rule, flows denied by it, one of its messages)."""
        flows: dict[str, set[str]] = {}
        message: dict[str, str] = {}
        texts = self.texts
        for result in self.report.results:
            for f in result.findings:
                if f.counts and f.severity is Severity.ERROR:
                    flows.setdefault(str(f.rule), set()).add(result.flow.id)
                    message.setdefault(str(f.rule), texts.message(f))
        ranked = sorted(flows.items(), key=lambda item: (-len(item[1]), item[0]))
        return [(rule, len(ids), message[rule]) for rule, ids in ranked[:limit]]

    def waivers_due(self, today: datetime.date, within: int = 60) -> list[tuple[WaiverResult, str]]:
        """The waivers a director must know of: every one that is in force (open), with those that expire
        within `within` days or did not apply as approved said so."""
        due = []
        for w in self.report.waivers:
            days = (w.waiver.expires - today).days
            if w.status is not WaiverStatus.APPLIED and w.status is not WaiverStatus.UNBOUND:
                note = _("{status}: does not accept any finding").format(status=waiver_status(w.status))
            elif days <= within:
                note = ngettext("open, expires in {days} day", "open, expires in {days} days", days).format(days=days)
            else:
                note = _("open")
            due.append((w, note))
        return due

    def name(self, kind: str, ident: object) -> str:
        """An id as a person reads it: its name in the reader's language, the id itself when it has none."""
        return self.texts.name(kind, str(ident))

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


def waiver_status(status: WaiverStatus) -> str:
    """A waiver's status in words."""
    words = {
        WaiverStatus.APPLIED: _("applied"),
        WaiverStatus.UNBOUND: _("unbound"),
        WaiverStatus.EXPIRED: _("expired"),
        WaiverStatus.STALE: _("stale"),
        WaiverStatus.REFUSED: _("refused"),
        WaiverStatus.UNMATCHED: _("unmatched"),
    }
    return words.get(status, status.value)


_NO_FACTS = FlowFacts((), (), "none", None)


def _facts(result: FlowResult) -> FlowFacts:
    # Every flow the audit evaluated has facts; a result without them (an engine that returns none) shows nothing.
    return result.facts or _NO_FACTS


def _sensitive(result: FlowResult) -> bool:
    # Whether the flow carries special-category or criminal data.
    return any(c in SENSITIVE for c in _facts(result).categories)


def build(report: Report, catalogue: Mapping[str, Any], inputs: Sequence[str] = (), checked_at: str = "") -> AuditView:
    """Partners, edges and matrix cells of the flows in the report."""
    texts = Texts.of(report)
    partners = sorted({str(r.flow.document.get(k)) for r in report.results for k in ("from", "to")})
    by_pair: dict[tuple[str, str], list[FlowResult]] = {}
    for result in report.results:
        key = (str(result.flow.document.get("from")), str(result.flow.document.get("to")))
        by_pair.setdefault(key, []).append(result)
    edges: list[Edge] = []
    for (sender, recipient), flows in sorted(by_pair.items()):
        # A pair's denied flows get an arrow of their own: three lawful extracts must not be drawn red and
        # dashed because a fourth flow of the pair sends the whole document.
        allowed = [r for r in flows if r.verdict is not Verdict.DENY]
        denied = [r for r in flows if r.verdict is Verdict.DENY]
        edges.extend(
            Edge(sender, recipient, tuple(group), any(_sensitive(r) for r in group), texts)
            for group in (allowed, denied)
            if group
        )
    return AuditView(
        report,
        catalogue,
        tuple(partners),
        tuple(edges),
        _cells(report.results, catalogue, texts),
        tuple(inputs),
        checked_at,
    )


def _cells(results: Sequence[FlowResult], catalogue: Mapping[str, Any], texts: Texts) -> tuple[Cell, ...]:
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
                _reasons(flows, catalogue, texts),
            )
        )
    return tuple(cells)


# The kind of id a finding's subject holds under each key, for its name; values under other keys are shown as they are.
_SUBJECT_KINDS = {"fields": "fields", "missing": "legal_bases"}


def _reasons(flows: Sequence[FlowResult], catalogue: Mapping[str, Any], texts: Texts) -> tuple[str, ...]:
    # The findings' subjects say what the rule objects to (e.g. {"fields": ["asielmotief"]}); a finding without
    # a subject is named by its rule alone.
    rows = {row.get("id"): row for row in catalogue.get("matrix", {}).get("rows", []) if isinstance(row, Mapping)}
    named: dict[str, set[tuple[str, str]]] = {}
    for result in flows:
        for finding in result.findings:
            if not (finding.counts and finding.severity is Severity.ERROR):
                continue
            items = named.setdefault(str(finding.rule), set())
            for key, value in finding.subject.items():
                values = value if isinstance(value, list | tuple) else [value]
                kind = _SUBJECT_KINDS.get(key, "")
                items.update((kind, str(v)) for v in values if isinstance(v, str | int) and str(v))
            if finding.rule == "integral_not_proportional":
                # Its subject is every field the whole document carries; what is too much is what the row's
                # extract leaves out.
                admitted = rows.get(_facts(result).row, {}).get("fields")
                if isinstance(admitted, list):
                    items.difference_update(("fields", str(f)) for f in admitted)
    return tuple(
        _why(rule).format(items=", ".join(sorted(texts.name(kind, v) if kind else v for kind, v in items)))
        if items
        else rule
        for rule, items in sorted(named.items())
    )


def _why(rule: str) -> str:
    # What each rule's subject names, for a reader of the matrix; a rule not listed is named as it is.
    why = {
        "integral_not_proportional": _("whole document sent; beyond the extract (integral_not_proportional): {items}"),
        "field_not_needed": _("fields not needed (field_not_needed): {items}"),
        "special_category_data": _("special-category data no row admits (special_category_data): {items}"),
        "criminal_data": _("criminal data no row admits (criminal_data): {items}"),
        "provenance": _("no lawful source for (provenance): {items}"),
        "legal_basis_incomplete": _("legal bases missing (legal_basis_incomplete): {items}"),
    }
    return why.get(rule, rule + ": {items}")
