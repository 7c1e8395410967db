"""The flow diagram: partners as nodes, flows as arrows coloured by verdict, special-category flows marked.

A pair's allowed and denied flows are two arrows, each labelled in words (count, allowed or denied, documents),
so that the diagram reads on paper, in grey, and to a reader who cannot tell red from green.

The layout of an SVG for the self-contained HTML report (no script, no external asset; the markup is in
templates/diagram.html) and Mermaid for the Markdown report, which GitHub and GitLab render.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from checker.audit.view import AuditView, Edge, status_word, verdict_mark
from checker.i18n import _
from checker.sanitize import printable

COLOURS = {"deny": "#c62828", "warn": "#b26a00", "allow": "#2e7d32"}
_WIDTH, _HEIGHT = 900, 620
_NODE_W, _NODE_H = 96, 34


def _positions(partners: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    # An ellipse, starting at the top, in the partners' sorted order: stable between runs.
    cx, cy, rx, ry = _WIDTH / 2, _HEIGHT / 2 - 10, _WIDTH / 2 - 90, _HEIGHT / 2 - 70
    count = max(len(partners), 1)
    return {
        p: (cx + rx * math.sin(2 * math.pi * i / count), cy - ry * math.cos(2 * math.pi * i / count))
        for i, p in enumerate(partners)
    }


def _towards(a: tuple[float, float], b: tuple[float, float], distance: float) -> tuple[float, float]:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    return a[0] + dx / length * distance, a[1] + dy / length * distance


@dataclass(frozen=True)
class Node:
    """A partner's box in the SVG diagram; templates/diagram.html draws it."""

    partner: str
    name: str
    """The partner's name in the catalogue, for the tooltip; empty if the catalogue does not know the partner."""
    x: float
    y: float
    """The centre of the box."""


@dataclass(frozen=True)
class Arrow:
    """One edge as a curved arrow in the SVG diagram; templates/diagram.html draws it."""

    edge: Edge
    title: str
    """The tooltip: sender, recipient, documents and verdict."""
    path: str
    """SVG path data, composed here of numbers only."""
    width: float
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Key:
    """One line of the legend and its words: a verdict's colour, or the dashes of special-category data."""

    status: str
    """allow, warn or deny; empty for the dashed line."""
    label: str
    x: int
    y: int


@dataclass(frozen=True)
class Legend:
    """The legend below the diagram, laid out for the length of its words in the reader's language."""

    keys: tuple[Key, ...]
    dashed: Key
    note: str
    """How to read an arrow's label."""
    note_y: int
    top: int
    """Where the legend starts, from the top of the drawing."""


# The legend's text is 12px. A verdict's key is 150px wide, room for 18 characters (the English ones); a longer
# label (Dutch "! toegestaan, waarschuwing") gets 7.5px a character, what Chromium's sans-serif needs for the widest
# text. The dashed key follows on the same line while it fits, else on a line of its own.
_KEY_W, _KEY_CHARS, _CHAR_W, _LINE_H = 150, 18, 7.5, 18


def _legend() -> Legend:
    keys, x = [], 0
    for status in ("allow", "warn", "deny"):
        label = verdict_mark(status)
        keys.append(Key(status, label, x, 0))
        x += _KEY_W if len(label) <= _KEY_CHARS else 50 + math.ceil(_CHAR_W * len(label))
    dashed = _("dashed: special-category or criminal data (§9/10)")
    note = _("Each arrow says in words how many flows it carries, allowed or denied, and which documents.")
    if x + 36 + 6.5 * len(dashed) <= _WIDTH - 32:
        return Legend(tuple(keys), Key("", dashed, x, 0), note, _LINE_H, _HEIGHT - 34)
    return Legend(tuple(keys), Key("", dashed, 0, _LINE_H), note, 2 * _LINE_H, _HEIGHT - 34 - _LINE_H)


@dataclass(frozen=True)
class Drawing:
    """The geometry of the SVG diagram: what the template needs beyond markup."""

    nodes: tuple[Node, ...]
    arrows: tuple[Arrow, ...]
    legend: Legend
    colours: ClassVar[Mapping[str, str]] = COLOURS
    width: ClassVar[int] = _WIDTH
    height: ClassVar[int] = _HEIGHT
    node_width: ClassVar[int] = _NODE_W
    node_height: ClassVar[int] = _NODE_H


def _arrow(edge: Edge, pos: dict[str, tuple[float, float]]) -> Arrow:
    a, b = pos[edge.sender], pos[edge.recipient]
    # Bend every arrow to its left, so that A->B and B->A do not overlap; a pair's denied flows bend further
    # than its allowed ones, so that the two arrows of one pair lie apart.
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    bend = 95 if edge.denied else 40
    control = (mx - dy / length * bend, my + dx / length * bend)
    start, end = _towards(a, control, 34), _towards(b, control, 40)
    return Arrow(
        edge=edge,
        title=f"{edge.sender} → {edge.recipient}: {', '.join(edge.documents)} ({status_word(edge.status)})",
        path=f"M{start[0]:.1f},{start[1]:.1f} Q{control[0]:.1f},{control[1]:.1f} {end[0]:.1f},{end[1]:.1f}",
        width=1.6 + min(math.log2(len(edge.flows)), 4),
        label_x=(start[0] + 2 * control[0] + end[0]) / 4,
        label_y=(start[1] + 2 * control[1] + end[1]) / 4,
    )


def layout(chain: AuditView) -> Drawing:
    """Where the SVG diagram puts each partner and each arrow (templates/diagram.html writes the markup)."""
    pos = _positions(chain.partners)
    nodes = tuple(Node(p, partner_name(chain, p), x, y) for p, (x, y) in pos.items())
    return Drawing(nodes, tuple(_arrow(edge, pos) for edge in chain.edges), _legend())


def mermaid(chain: AuditView) -> str:
    """The diagram as a Mermaid flowchart: arrows labelled with documents, coloured by verdict."""
    lines = ["flowchart LR"]
    node = _node_ids(chain.partners)
    lines.extend(
        f'  {node[p]}["{_mermaid_text(p)}<br/>{_mermaid_text(partner_name(chain, p))}"]' for p in chain.partners
    )
    styles = []
    for i, edge in enumerate(chain.edges):
        label = _mermaid_text(edge.label)
        arrow = "-.->" if edge.special else "-->"
        lines.append(f'  {node[edge.sender]} {arrow}|"{label}"| {node[edge.recipient]}')
        styles.append(f"  linkStyle {i} stroke:{COLOURS[edge.status]},stroke-width:2px")
    return "\n".join(lines + styles) + "\n"


def partner_name(chain: AuditView, partner: str) -> str:
    """A partner's name in the reader's language; else the catalogue's; empty when neither knows the partner."""
    name = chain.name("partners", partner)
    if name != partner:
        return name
    return str(chain.catalogue.get("partners", {}).get(partner, {}).get("name", ""))


_PLAIN_ID = re.compile(r"[A-Z][A-Z0-9_]*")
_MERMAID_ENTITY = {"#": "#35;", '"': "#quot;", "|": "#124;", "<": "#lt;", ">": "#gt;", "`": "#96;"}


def _node_ids(partners: tuple[str, ...]) -> dict[str, str]:
    # A partner id from a flow file is any text: as a Mermaid node id it could end the node, add arrows or
    # click handlers. Catalogue-style ids (upper case) stay as they are; any other gets p<n>, which, being
    # lower case, no kept id can equal (and which is no Mermaid keyword such as `end`).
    return {p: p if _PLAIN_ID.fullmatch(p) else f"p{i}" for i, p in enumerate(partners)}


def _mermaid_text(text: str) -> str:
    # Inside a quoted label: Mermaid's entity codes for what would end the label or become HTML or Markdown.
    return re.sub('[#"|<>`]', lambda m: _MERMAID_ENTITY[m.group()], printable(text))
