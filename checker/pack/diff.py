"""`ketencheck policy diff`: two packs compared cell by cell, with the change in exposure, in invariants and in
the verdicts of given flows.

Exhaustive, not sampled: every (recipient, document, purpose) cell of either pack, every field either pack admits
there with the bases a flow of it must cite (as each pack's own rules judge it), every field category, every
holding of the exposure and every forbidden holding of every invariant. What counts as a widening: a new cell,
integral instead of extract, a field admitted, a basis no longer required, a channel no longer prescribed, a field
of a less sensitive category, a holding gained, an invariant removed or protecting less, a violation or a row
check finding that was not there.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from checker import i18n
from checker.engine.interface import Request
from checker.model import Flow, Report, Verdict
from checker.pack import analysis as analyses
from checker.pack.analysis import Admission, Analysis, Hop, witnesses
from checker.pack.exposure import text_lines
from checker.sanitize import markdown_code, markdown_text

WIDENING = "widening"
NARROWING = "narrowing"
OTHER = "other"

# How sensitive a category is: a field moved to a lower rank loses protection. special and criminal are not
# ordered against each other; a move between them loses the old category's protection and counts as widening.
_RANK = {"ordinary": 0, "national_id": 1, "special": 2, "criminal": 2}


def _(message: str) -> str:
    """Marks a change's English template for the catalogue without translating it (gettext's deferred translation):
    the JSON keeps the English text, the text and Markdown show it in the reader's language (Change.describe)."""
    return message


@dataclass(frozen=True)
class Phrase:
    """Words inside a change's text, shown in the same language as the change."""

    template: str
    arguments: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def describe(self, translate: Callable[[str], str] = str) -> str:
        """The phrase through `translate`; English by default."""
        return translate(self.template).format(**_described(self.arguments, translate))


@dataclass(frozen=True)
class Joined:
    """Phrases in a row, such as the steps of a chain of flows."""

    separator: str
    items: tuple[Phrase, ...]

    def describe(self, translate: Callable[[str], str] = str) -> str:
        """The phrases through `translate`, joined by the translated separator."""
        return translate(self.separator).join(item.describe(translate) for item in self.items)


def _described(arguments: Mapping[str, Any], translate: Callable[[str], str]) -> dict[str, Any]:
    return {k: v.describe(translate) if isinstance(v, Phrase | Joined) else v for k, v in arguments.items()}


@dataclass(frozen=True)
class Change:
    """One difference between the packs."""

    kind: str
    """widening, narrowing or other."""
    area: str
    """matrix, category, exposure, invariant, row check."""
    subject: str
    template: str
    """The English text with named {placeholders}, the msgid for another language."""
    arguments: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def text(self) -> str:
        """The change in English (the JSON report's text)."""
        return self.describe()

    def describe(self, translate: Callable[[str], str] = str) -> str:
        """The change through `translate` (gettext): the reader's language; English by default."""
        return translate(self.template).format(**_described(self.arguments, translate))


@dataclass(frozen=True)
class Flip:
    """A flow whose verdict differs between the packs."""

    flow: str
    file: str
    line: int
    base: str
    head: str


@dataclass(frozen=True)
class Diff:
    """Everything `policy diff` found."""

    base: str
    head: str
    base_pack: str
    head_pack: str
    changes: tuple[Change, ...]
    flips: tuple[Flip, ...]
    flows_compared: int
    violations: tuple[int, int]
    """Violations of invariants in base and head."""

    @property
    def widens(self) -> bool:
        """Exit 1 unless --allow-widening."""
        return any(c.kind == WIDENING for c in self.changes)

    def of_kind(self, kind: str) -> list[Change]:
        """The changes of one kind, in order."""
        return [c for c in self.changes if c.kind == kind]


def compare(base_label: str, head_label: str, engines: Sequence[Any], flows: Sequence[Flow]) -> Diff:
    """Analyse both packs (in parallel: one opa each, two with flows) and compare them."""

    def one(engine: Any) -> tuple[Analysis, Report | None]:
        result = analyses.run(engine, diff=True)
        report = None
        if flows:
            evaluation = engine.evaluate(Request(flows, (), datetime.date.today()))
            report = Report.create(flows, evaluation.findings, ())
        return result, report

    with ThreadPoolExecutor(max_workers=2) as pool:
        (base, base_report), (head, head_report) = list(pool.map(one, engines))
    return between(base_label, head_label, base, head, (base_report, head_report), len(flows))


def between(
    base_label: str,
    head_label: str,
    base: Analysis,
    head: Analysis,
    reports: tuple[Report | None, Report | None] = (None, None),
    flows: int = 0,
) -> Diff:
    """The differences between two analysed packs (each analysed with diff=True)."""
    changes = [
        *_cells(base, head),
        *_categories(base, head),
        *_exposure(base, head),
        *_invariants(base, head),
        *_row_checks(base, head),
    ]
    base_report, head_report = reports
    flips = _flips(base_report, head_report) if base_report and head_report else ()
    return Diff(
        base_label,
        head_label,
        base.name,
        head.name,
        tuple(changes),
        flips,
        flows,
        (len(base.violations), len(head.violations)),
    )


def _admitted(a: Analysis) -> dict[str, dict[str, Admission]]:
    out: dict[str, dict[str, Admission]] = {}
    for adm in a.admissions:
        out.setdefault("|".join((adm.recipient, adm.document, adm.purpose)), {})[adm.field] = adm
    return out


def _subject(key: str) -> str:
    return " · ".join(key.split("|"))


def _cells(base: Analysis, head: Analysis) -> list[Change]:
    changes: list[Change] = []
    b_adm, h_adm = _admitted(base), _admitted(head)
    for key in sorted(set(base.cells) | set(head.cells)):
        b, h = base.cells.get(key), head.cells.get(key)
        subject = _subject(key)
        if b is None and h is not None:
            fields = sorted(h_adm.get(key, {}))
            changes.append(
                Change(
                    WIDENING,
                    "matrix",
                    subject,
                    _("new row {row}: {form}, {fields}"),
                    {"row": h["row"], "form": _form(h["form"]), "fields": _list(fields)},
                )
            )
            continue
        if h is None and b is not None:
            changes.append(Change(NARROWING, "matrix", subject, _("row {row} removed"), {"row": b["row"]}))
            continue
        assert b is not None and h is not None
        if b["form"] != h["form"]:
            kind = WIDENING if h["form"] == "integral" else NARROWING
            changes.append(
                Change(
                    kind,
                    "matrix",
                    subject,
                    _("{form} instead of {was}"),
                    {"form": _form(h["form"]), "was": _form(b["form"])},
                )
            )
        bf, hf = b_adm.get(key, {}), h_adm.get(key, {})
        if gained := sorted(set(hf) - set(bf)):
            changes.append(
                Change(WIDENING, "matrix", subject, _("admits more fields: {fields}"), {"fields": _list(gained)})
            )
        if lost := sorted(set(bf) - set(hf)):
            changes.append(
                Change(NARROWING, "matrix", subject, _("admits fewer fields: {fields}"), {"fields": _list(lost)})
            )
        changes += _required(subject, bf, hf)
        changes += _channel(subject, str(b["channel"]), str(h["channel"]))
        required = {x for adm in (*bf.values(), *hf.values()) for x in adm.bases}
        for basis in sorted(set(h["bases"]) - set(b["bases"]) - required):
            changes.append(
                Change(OTHER, "matrix", subject, _("lists {basis} too (not required for any field)"), {"basis": basis})
            )
        for basis in sorted(set(b["bases"]) - set(h["bases"]) - required):
            changes.append(
                Change(OTHER, "matrix", subject, _("no longer lists {basis} (was not required)"), {"basis": basis})
            )
    return changes


def _required(subject: str, bf: Mapping[str, Admission], hf: Mapping[str, Admission]) -> list[Change]:
    dropped: dict[str, list[str]] = {}
    added: dict[str, list[str]] = {}
    for f in sorted(set(bf) & set(hf)):
        for basis in bf[f].bases:
            if basis not in hf[f].bases:
                dropped.setdefault(basis, []).append(f)
        for basis in hf[f].bases:
            if basis not in bf[f].bases:
                added.setdefault(basis, []).append(f)
    return [
        *(
            Change(
                WIDENING,
                "matrix",
                subject,
                _("no longer requires {basis} (for {fields})"),
                {"basis": b, "fields": _list(fs)},
            )
            for b, fs in dropped.items()
        ),
        *(
            Change(
                NARROWING,
                "matrix",
                subject,
                _("now requires {basis} (for {fields})"),
                {"basis": b, "fields": _list(fs)},
            )
            for b, fs in added.items()
        ),
    ]


def _channel(subject: str, b: str, h: str) -> list[Change]:
    if b == h:
        return []
    if not h:
        return [Change(WIDENING, "matrix", subject, _("no longer prescribes channel {channel}"), {"channel": b})]
    if not b:
        return [Change(NARROWING, "matrix", subject, _("prescribes channel {channel}"), {"channel": h})]
    return [Change(WIDENING, "matrix", subject, _("channel {channel} instead of {was}"), {"channel": h, "was": b})]


def _categories(base: Analysis, head: Analysis) -> list[Change]:
    changes = [
        Change(_sensitivity(base.categories[f], head.categories[f]), "category", f,
               _("category {category} instead of {was}"), {"category": head.categories[f], "was": base.categories[f]})
        for f in sorted(set(base.categories) & set(head.categories))
        if base.categories[f] != head.categories[f]
    ]  # fmt: skip
    changes += [
        Change(
            OTHER,
            "catalogue",
            d,
            _("originated by {originator} instead of {was}"),
            {"originator": head.originators[d], "was": base.originators[d]},
        )
        for d in sorted(set(base.originators) & set(head.originators))
        if base.originators[d] != head.originators[d]
    ]
    return changes


def _sensitivity(before: str, after: str) -> str:
    return NARROWING if _RANK.get(after, 0) > _RANK.get(before, 0) else WIDENING


def _exposure(base: Analysis, head: Analysis) -> list[Change]:
    chains = witnesses(head)
    changes = []
    for kind, holdings in ((WIDENING, head.holdings - base.holdings), (NARROWING, base.holdings - head.holdings)):
        grouped: dict[tuple[str, str], list[str]] = {}
        for partner, document, f in holdings:
            grouped.setdefault((partner, document), []).append(f)
        for (partner, document), fields in sorted(grouped.items()):
            words: dict[str, Any] = {"fields": _list(sorted(fields))}
            if kind == NARROWING:
                template = _("can no longer hold {fields}")
            elif hops := chains[(partner, document, sorted(fields)[0])]:
                template, words["chain"] = _("can now hold {fields} (via {chain})"), _via(hops)
            else:
                template = _("can now hold {fields} (originates it)")
            changes.append(Change(kind, "exposure", f"{partner} · {document}", template, words))
    return changes


def _via(hops: tuple[Hop, ...]) -> Joined:
    step = _("{sender} -> {recipient} for {purpose}")
    return Joined(
        _(", then "),
        tuple(
            Phrase(step, {"sender": h.sender, "recipient": h.admission.recipient, "purpose": h.admission.purpose})
            for h in hops
        ),
    )


def _invariants(base: Analysis, head: Analysis) -> list[Change]:
    b_inv = {i.id: i for i in base.invariants}
    h_inv = {i.id: i for i in head.invariants}
    changes = [Change(WIDENING, "invariant", iid, _("removed")) for iid in sorted(set(b_inv) - set(h_inv))]
    changes += [Change(NARROWING, "invariant", iid, _("added")) for iid in sorted(set(h_inv) - set(b_inv))]
    for iid in sorted(set(b_inv) & set(h_inv)):
        b, h = base.forbidden.get(iid, frozenset()), head.forbidden.get(iid, frozenset())
        if b - h:
            changes.append(
                Change(
                    WIDENING,
                    "invariant",
                    iid,
                    _("protects less: no longer forbids {holdings}"),
                    {"holdings": _holdings(b - h)},
                )
            )
        if h - b:
            changes.append(
                Change(
                    NARROWING,
                    "invariant",
                    iid,
                    _("protects more: now forbids {holdings}"),
                    {"holdings": _holdings(h - b)},
                )
            )
        words = [(i.statement, " ".join(i.owner.split()), sorted(i.legal_refs)) for i in (b_inv[iid], h_inv[iid])]
        if b == h and words[0] != words[1]:
            changes.append(Change(OTHER, "invariant", iid, _("statement, owner or law changed; protects the same")))
    b_v, h_v = set(base.violations), set(head.violations)
    changes += [
        Change(
            WIDENING,
            "invariant",
            iid,
            _("now violated: {partner} can hold {document}.{field}"),
            {"partner": partner, "document": document, "field": f},
        )
        for iid, partner, document, f in sorted(h_v - b_v)
    ]
    changes += [
        Change(
            NARROWING,
            "invariant",
            iid,
            _("no longer violated: {partner} · {document}.{field}"),
            {"partner": partner, "document": document, "field": f},
        )
        for iid, partner, document, f in sorted(b_v - h_v)
    ]
    return changes


def _row_checks(base: Analysis, head: Analysis) -> list[Change]:
    b_f, h_f = set(base.row_findings), set(head.row_findings)
    order = lambda f: (f.check, f.row, f.recipient)  # noqa: E731
    changes = [
        Change(WIDENING, "row check", f"{f.check} · {f.row}", _("now broken: {message}"), {"message": f.message})
        for f in sorted(h_f - b_f, key=order)
    ]
    changes += [
        Change(NARROWING, "row check", f"{f.check} · {f.row}", _("no longer broken"))
        for f in sorted(b_f - h_f, key=order)
    ]
    b_e = {e[:3] for e in base.exemptions}
    h_e = {e[:3] for e in head.exemptions}
    changes += [
        Change(WIDENING, "row check", f"{check} · {row}", _("{recipient} newly exempt"), {"recipient": recipient})
        for check, row, recipient in sorted(h_e - b_e)
    ]
    changes += [
        Change(NARROWING, "row check", f"{check} · {row}", _("{recipient} no longer exempt"), {"recipient": recipient})
        for check, row, recipient in sorted(b_e - h_e)
    ]
    return changes


def _flips(base: Report, head: Report) -> tuple[Flip, ...]:
    head_verdicts = {r.flow.id: r.verdict for r in head.results}
    return tuple(
        Flip(r.flow.id, r.flow.file, r.flow.line, r.verdict.value, head_verdicts.get(r.flow.id, Verdict.DENY).value)
        for r in base.results
        if head_verdicts.get(r.flow.id) is not r.verdict
    )


def _form(form: Any) -> Any:
    # The form is a word in the sentence (an id only in the flow file): "uittreksel" in Dutch, "extract" in English.
    return {"integral": Phrase(_("integral")), "extract": Phrase(_("extract"))}.get(str(form), form)


def _list(items: Sequence[str]) -> str | Phrase:
    return ", ".join(items) if items else Phrase(_("(none)"))


def _holdings(nodes: frozenset[str], limit: int = 5) -> str | Phrase:
    shown = [n.replace("|", " · ", 1).replace("|", ".") for n in sorted(nodes)[:limit]]
    rest = len(nodes) - len(shown)
    listed = ", ".join(shown)
    return Phrase(_("{items} and {rest} more"), {"items": listed, "rest": rest}) if rest else listed


def _headline(result: Diff) -> str:
    w, n = len(result.of_kind(WIDENING)), len(result.of_kind(NARROWING))
    counts = {
        "widenings": i18n.ngettext("{count} widening", "{count} widenings", w).format(count=w),
        "narrowings": i18n.ngettext("{count} narrowing", "{count} narrowings", n).format(count=n),
    }
    if w:
        return i18n._("{widenings}, {narrowings}: this change widens what the pack allows").format(**counts)
    if n:
        return i18n._("{widenings}, {narrowings}: this change only narrows").format(**counts)
    return i18n._("{widenings}, {narrowings}: this change changes nothing the pack allows").format(**counts)


def _areas() -> dict[str, str]:
    return {
        "matrix": i18n._("matrix"),
        "category": i18n._("category"),
        "catalogue": i18n._("catalogue"),
        "exposure": i18n._("exposure"),
        "invariant": i18n._("invariant"),
        "row check": i18n._("row check"),
    }


def _verdicts() -> dict[str, str]:
    return {"allow": i18n._("allow"), "deny": i18n._("deny")}


def _titles(markdown: bool) -> tuple[tuple[str, str], ...]:
    if markdown:
        return (
            (WIDENING, i18n._("Widenings")),
            (NARROWING, i18n._("Narrowings")),
            (OTHER, i18n._("Other changes")),
        )
    return (
        (WIDENING, i18n._("widenings")),
        (NARROWING, i18n._("narrowings")),
        (OTHER, i18n._("other changes")),
    )


def render_text(result: Diff) -> str:
    """For a terminal or a CI log."""
    lines = [
        i18n._("policy diff {base} ({base_pack}) -> {head} ({head_pack})").format(
            base=result.base, base_pack=result.base_pack, head=result.head, head_pack=result.head_pack
        ),
        "",
    ]
    areas, verdicts = _areas(), _verdicts()
    width = max(10, *(len(areas.get(c.area, c.area)) for c in result.changes)) if result.changes else 10
    for kind, title in _titles(markdown=False):
        changes = result.of_kind(kind)
        if changes:
            lines.append(title)
            lines += [f"  {areas.get(c.area, c.area):<{width}} {c.subject}: {c.describe(i18n._)}" for c in changes]
            lines.append("")
    if result.flows_compared:
        lines.append(
            i18n._("flows whose verdict changes ({changed} of {compared})").format(
                changed=len(result.flips), compared=result.flows_compared
            )
        )
        lines += [
            f"  {f.flow} ({f.file}:{f.line}): {verdicts.get(f.base, f.base)} -> {verdicts.get(f.head, f.head)}"
            for f in result.flips
        ]
        lines.append("")
    b, h = result.violations
    lines.append(i18n._("invariant violations: {base} in base, {head} in head").format(base=b, head=h))
    lines.append(_headline(result))
    return text_lines(lines)


def render_markdown(result: Diff) -> str:
    """For a pull-request comment."""
    lines = [
        i18n._("## ketencheck policy diff"),
        "",
        f"{markdown_code(result.base)} ({markdown_text(result.base_pack)}) → "
        f"{markdown_code(result.head)} ({markdown_text(result.head_pack)})",
        "",
        f"**{markdown_text(_headline(result))}**",
    ]
    areas, verdicts = _areas(), _verdicts()
    for kind, title in _titles(markdown=True):
        changes = result.of_kind(kind)
        if changes:
            lines += ["", f"### {title}", "", i18n._("| area | where | change |"), "|---|---|---|"]
            lines += [
                f"| {markdown_text(areas.get(c.area, c.area))} | {markdown_text(c.subject)} | "
                f"{markdown_text(c.describe(i18n._))} |"
                for c in changes
            ]
    if result.flows_compared:
        lines += [
            "",
            i18n._("### Flows whose verdict changes ({changed} of {compared})").format(
                changed=len(result.flips), compared=result.flows_compared
            ),
            "",
        ]
        if result.flips:
            lines += [i18n._("| flow | file | base | head |"), "|---|---|---|---|"]
            lines += [
                f"| {markdown_code(f.flow, True)} | {markdown_text(f.file)}:{f.line} | "
                f"{verdicts.get(f.base, f.base)} | {verdicts.get(f.head, f.head)} |"
                for f in result.flips
            ]
        else:
            lines.append(i18n._("None."))
    b, h = result.violations
    lines += ["", i18n._("Invariant violations: {base} in base, {head} in head.").format(base=b, head=h)]
    return "\n".join(lines) + "\n"


def render_json(result: Diff) -> str:
    """One JSON document for tools."""
    document = {
        "version": 1,
        "base": {"source": result.base, "pack": result.base_pack, "violations": result.violations[0]},
        "head": {"source": result.head, "pack": result.head_pack, "violations": result.violations[1]},
        "widens": result.widens,
        "changes": [{"kind": c.kind, "area": c.area, "subject": c.subject, "text": c.text} for c in result.changes],
        "flips": [
            {"flow": f.flow, "file": f.file, "line": f.line, "base": f.base, "head": f.head} for f in result.flips
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
