"""The analysis of one policy pack, as the pack's own Rego computes it (policies/ketencheck/analysis), and the
shortest witness chains of flows behind what each partner can hold.

What is permitted and who holds what is the pack's business: the Rego judges candidate flows with the pack's own
single-flow rules and takes the fixpoint of holding (graph.reachable). This module only reads that answer and
finds, for each holding, a shortest chain of the permitted flows that reaches it (a breadth-first search over
the admissions the pack exported); the set it reaches must be the pack's own, or the answer is refused.
"""

from __future__ import annotations

import datetime
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from checker.errors import EngineOutputError
from checker.i18n import _
from checker.law import resolve
from checker.model import LegalSource

QUERY = "data.ketencheck.analysis.report.result"


@dataclass(frozen=True)
class Admission:
    """The pack lets `recipient` receive `field` of `document` for `purpose`, from any other partner."""

    recipient: str
    document: str
    field: str
    purpose: str
    row: str
    bases: tuple[str, ...]
    """What a flow of this field must cite, in the row's order."""
    channel: str
    """The channel the row prescribes; empty for none."""


@dataclass(frozen=True)
class Hop:
    """One flow of a witness chain."""

    sender: str
    admission: Admission


Holding = tuple[str, str, str]
"""(partner, document, field)."""


@dataclass(frozen=True)
class Invariant:
    """A statement of catalogue/invariants."""

    id: str
    statement: str
    owner: str
    legal_refs: tuple[str, ...]
    definition: Mapping[str, Any] = field(compare=False, repr=False)


@dataclass(frozen=True)
class RowFinding:
    """A row that breaks one of the pack's row checks."""

    check: str
    row: str
    recipient: str
    message: str


@dataclass(frozen=True)
class Analysis:
    """What the pack's Rego says about the pack."""

    pack: Mapping[str, Any]
    partners: tuple[str, ...]
    originators: Mapping[str, str]
    categories: Mapping[str, str]
    admissions: tuple[Admission, ...]
    holdings: frozenset[Holding]
    invariants: tuple[Invariant, ...]
    violations: tuple[tuple[str, str, str, str], ...]
    """(invariant, partner, document, field)."""
    malformed: tuple[tuple[str, str], ...]
    row_checks: Mapping[str, str]
    """Check id to title."""
    row_findings: tuple[RowFinding, ...]
    exemptions: tuple[tuple[str, str, str, str], ...]
    """(check, row, recipient, reason)."""
    rows: int
    law: Mapping[str, Any] = field(compare=False, repr=False)
    cells: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, compare=False, repr=False)
    """recipient|document|purpose to row, form, fields, bases, channel (only for a diff)."""
    forbidden: Mapping[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)
    """Invariant id to the partner|document|field it forbids (only for a diff)."""

    @property
    def name(self) -> str:
        """The pack's name and version, for headings."""
        return f"{self.pack.get('name', 'policy pack')} {self.pack.get('version', '')}".strip()

    @property
    def day(self) -> datetime.date:
        """The day the law is cited as of: the pack's catalogue date (the pack, not the run, is documented)."""
        try:
            return datetime.date.fromisoformat(str(self.pack.get("catalogue_date")))
        except ValueError:
            return datetime.date.today()

    def law_labels(self, refs: Sequence[str]) -> tuple[LegalSource, ...]:
        """Provision ids as cited on the pack's date."""
        return tuple(s for ref in refs if (s := resolve(self.law, ref, self.day)) is not None)


def run(engine: Any, *, diff: bool = False) -> Analysis:
    """Ask the pack for its analysis: one opa evaluation."""
    return parse(engine.ask(QUERY, {"diff": diff}))


def parse(value: Any) -> Analysis:
    """Check the shape of the analysis and build it; anything unexpected is an engine error, never a pass."""
    if not isinstance(value, Mapping):
        raise EngineOutputError(_("the pack returned no analysis: is policies/ketencheck/analysis loaded?"))
    try:
        admissions = tuple(
            Admission(str(r), str(d), str(f), str(p), str(row), tuple(str(b) for b in bases), str(ch))
            for r, d, f, p, row, bases, ch in value["admissions"]
        )
        holdings = frozenset((str(p), str(d), str(f)) for p, d, f in value["holdings"])
        invariants = tuple(
            Invariant(
                str(i),
                " ".join(str(inv.get("statement", "")).split()),
                str(inv.get("owner", "")),
                tuple(str(x) for x in inv.get("legal_refs", [])),
                inv,
            )
            for i, inv in sorted(value["invariants"].items())
        )
        analysis = Analysis(
            pack=dict(value["pack"]),
            partners=tuple(str(p) for p in value["partners"]),
            originators={str(k): str(v) for k, v in value["originators"].items()},
            categories={str(k): str(v) for k, v in value["categories"].items()},
            admissions=admissions,
            holdings=holdings,
            invariants=invariants,
            violations=tuple((str(i), str(p), str(d), str(f)) for i, p, d, f in value["violations"]),
            malformed=tuple((str(i), str(m)) for i, m in value["malformed"]),
            row_checks={str(k): str(v) for k, v in value["row_checks"].items()},
            row_findings=tuple(RowFinding(str(c), str(r), str(p), str(m)) for c, r, p, m in value["row_findings"]),
            exemptions=tuple((str(c), str(r), str(p), str(m)) for c, r, p, m in value["exemptions"]),
            rows=int(value["rows"]),
            law=value.get("law", {}) if isinstance(value.get("law", {}), Mapping) else {},
            cells={str(k): v for k, v in value.get("cells", {}).items()},
            forbidden={str(k): frozenset(str(x) for x in v) for k, v in value.get("forbidden", {}).items()},
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise EngineOutputError(_("the pack returned a malformed analysis: {problem}").format(problem=exc)) from exc
    reached = frozenset(witnesses(analysis))
    if reached != analysis.holdings:
        # Two readings of one answer disagree: neither can be trusted.
        raise EngineOutputError(
            _("the pack's holdings and the chains of its admissions disagree on {count} partner|document|field").format(
                count=len(reached ^ analysis.holdings)
            )
        )
    return analysis


def witnesses(analysis: Analysis) -> dict[Holding, tuple[Hop, ...]]:
    """For every holding a shortest chain of permitted flows from the document's originator (empty for the
    originator itself): breadth first, partners and purposes in sorted order, so the answer is reproducible."""
    receivers: dict[tuple[str, str], list[Admission]] = {}
    for a in sorted(analysis.admissions, key=lambda a: (a.recipient, a.purpose, a.row)):
        receivers.setdefault((a.document, a.field), []).append(a)
    documents: dict[str, set[str]] = {}
    for _holder, d, f in analysis.holdings:
        documents.setdefault(d, set()).add(f)
    for a in analysis.admissions:
        documents.setdefault(a.document, set()).add(a.field)
    found: dict[Holding, tuple[Hop, ...]] = {}
    for document, fields in sorted(documents.items()):
        origin = analysis.originators.get(document)
        if origin is None:
            continue
        for f in sorted(fields):
            found[(origin, document, f)] = ()
            queue = deque([origin])
            while queue:
                holder = queue.popleft()
                path = found[(holder, document, f)]
                for a in receivers.get((document, f), []):
                    if a.recipient != holder and (a.recipient, document, f) not in found:
                        found[(a.recipient, document, f)] = (*path, Hop(holder, a))
                        queue.append(a.recipient)
    return found


def chain_key(hops: tuple[Hop, ...]) -> tuple[tuple[str, str, str, str], ...]:
    """What makes two witness chains the same chain of flows, whatever field they carry."""
    return tuple((h.sender, h.admission.recipient, h.admission.purpose, h.admission.row) for h in hops)


def witness_flows(prefix: str, fields: Sequence[tuple[str, tuple[Hop, ...]]]) -> list[dict[str, Any]]:
    """The flows of one chain carrying the given fields, as a flow file holds them.

    Each hop carries every field of the group and cites what each of them requires: a kind of basis is required
    when some carried field calls for it (lib/catalogue.rego `kinds`), so a set of fields needs the union.
    """
    first = fields[0][1]
    flows = []
    for n, hop in enumerate(first, 1):
        carried = sorted({f for f, _hops in fields})
        bases: list[str] = []
        for _field, hops in fields:
            bases += [b for b in hops[n - 1].admission.bases if b not in bases]
        flow: dict[str, Any] = {
            "id": f"{prefix}-{n}" if len(first) > 1 else prefix,
            "from": hop.sender,
            "to": hop.admission.recipient,
            "document": hop.admission.document,
            "form": "extract",
            "fields": carried,
            "purpose": hop.admission.purpose,
            "legal_basis": bases,
        }
        if hop.admission.channel:
            flow["channel"] = hop.admission.channel
        flows.append(flow)
    return flows


def flow_id(*parts: str) -> str:
    """A flow id (^[a-z0-9][a-z0-9-]*$) from catalogue ids."""
    text = "-".join(parts).lower()
    cleaned = "".join(c if c.isascii() and c.isalnum() else "-" for c in text).strip("-")
    while "--" in cleaned:
        cleaned = cleaned.replace("--", "-")
    return cleaned or "witness"
