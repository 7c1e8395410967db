"""`ketencheck policy exposure`: what each partner can end up holding, with a shortest witness chain each."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from checker.i18n import _
from checker.pack.analysis import Analysis, Hop, chain_key, witnesses
from checker.sanitize import markdown_text, printable

_SENSITIVE = ("special", "criminal")


@dataclass(frozen=True)
class Group:
    """Fields of one document a partner can hold through the same chain of flows."""

    partner: str
    document: str
    fields: tuple[str, ...]
    hops: tuple[Hop, ...]
    """Empty: the partner originates the document."""
    chains: tuple[tuple[str, tuple[Hop, ...]], ...] = ()
    """Each field with its own chain (the same flows; each admission with the bases its field requires)."""

    def via(self, _: Callable[[str], str] = str) -> str:
        """The chain in words, through `_` (the reader's language; English by default, which also orders groups)."""
        if not self.hops:
            return _("originates it")
        step = _("{sender} -> {recipient} for {purpose} (row {row})")
        return _(", then ").join(
            step.format(
                sender=h.sender, recipient=h.admission.recipient, purpose=h.admission.purpose, row=h.admission.row
            )
            for h in self.hops
        )


def groups(analysis: Analysis, partners: Iterable[str] | None = None) -> list[Group]:
    """Every holding grouped by partner, document and witness chain, sorted."""
    wanted = None if partners is None else set(partners)
    by_key: dict[tuple[str, str, Any], list[tuple[str, tuple[Hop, ...]]]] = {}
    for (partner, document, f), hops in witnesses(analysis).items():
        if wanted is None or partner in wanted:
            by_key.setdefault((partner, document, chain_key(hops)), []).append((f, hops))
    out = [
        Group(partner, document, tuple(sorted(f for f, _ in items)), items[0][1], tuple(sorted(items)))
        for (partner, document, _), items in by_key.items()
    ]
    return sorted(out, key=lambda g: (g.partner, g.document, len(g.hops), g.via()))


def _label(analysis: Analysis, f: str) -> str:
    category = analysis.categories.get(f, "")
    if category == "special":
        return _("{field} (special)").format(field=f)
    if category == "criminal":
        return _("{field} (criminal)").format(field=f)
    return f


def render_text(analysis: Analysis, selected: list[Group]) -> str:
    """For a terminal or a CI log."""
    lines = [
        _("exposure of {pack}: what each partner can end up holding over any chain of flows the pack allows").format(
            pack=analysis.name
        ),
        "",
    ]
    partner = None
    for g in selected:
        if g.partner != partner:
            if partner is not None:
                lines.append("")
            partner = g.partner
            lines.append(g.partner)
        lines.append(f"  {g.document}: {', '.join(_label(analysis, f) for f in g.fields)}")
        lines.append("      " + _("via {chain}").format(chain=g.via(_)))
    if not selected:
        lines.append(_("(nothing)"))
    return text_lines(lines)


def render_markdown(analysis: Analysis, selected: list[Group]) -> str:
    """For a pull-request comment or a page: one table per partner."""
    lines = [_("## Exposure of {pack}").format(pack=markdown_text(analysis.name))]
    partner = None
    for g in selected:
        if g.partner != partner:
            partner = g.partner
            lines += [
                "",
                f"### {markdown_text(g.partner)}",
                "",
                _("| document | fields | special or criminal | via |"),
                "|---|---|---|---|",
            ]
        sensitive = [f for f in g.fields if analysis.categories.get(f) in _SENSITIVE]
        cells = [g.document, ", ".join(g.fields), ", ".join(sensitive) or "-", g.via(_)]
        lines.append("| " + " | ".join(markdown_text(c) for c in cells) + " |")
    if not selected:
        lines.append(_("(nothing)"))
    return "\n".join(lines) + "\n"


def to_json(analysis: Analysis, selected: list[Group]) -> dict[str, Any]:
    """For tools."""
    partners: dict[str, list[Mapping[str, Any]]] = {}
    for g in selected:
        partners.setdefault(g.partner, []).append(
            {
                "document": g.document,
                "fields": list(g.fields),
                "categories": {f: analysis.categories.get(f, "") for f in g.fields},
                "originates": not g.hops,
                "via": [_hop_json(h) for h in g.hops],
            }
        )
    return {"version": 1, "pack": dict(analysis.pack), "partners": partners}


def _hop_json(h: Hop) -> dict[str, Any]:
    return {
        "from": h.sender,
        "to": h.admission.recipient,
        "document": h.admission.document,
        "purpose": h.admission.purpose,
        "row": h.admission.row,
    }


def render_json(analysis: Analysis, selected: list[Group]) -> str:
    """One JSON document."""
    return json.dumps(to_json(analysis, selected), indent=2, ensure_ascii=False) + "\n"


def text_lines(lines: list[str]) -> str:
    """Catalogue ids come from a pack under review: no terminal escapes reach a log."""
    return "\n".join(printable(line) for line in lines) + "\n"
