"""The flow diagram: partners as nodes, flows as arrows coloured by verdict, special-category flows marked.

SVG for the self-contained HTML report (no script, no external asset) and Mermaid for the Markdown report,
which GitHub and GitLab render.
"""

from __future__ import annotations

import math
import re
from html import escape

from checker.audit.chain import Chain, Edge
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


def _edge(edge: Edge, pos: dict[str, tuple[float, float]]) -> str:
    a, b = pos[edge.sender], pos[edge.recipient]
    # Bend every arrow to its left, so that A->B and B->A do not overlap.
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    control = (mx - dy / length * 40, my + dx / length * 40)
    start, end = _towards(a, control, 34), _towards(b, control, 40)
    colour = COLOURS[edge.status]
    dash = ' stroke-dasharray="7 4"' if edge.special else ""
    width = 1.6 + min(math.log2(len(edge.flows)), 4)
    title = f"{edge.sender} → {edge.recipient}: {', '.join(edge.documents)} ({edge.status})"
    label_x, label_y = (start[0] + 2 * control[0] + end[0]) / 4, (start[1] + 2 * control[1] + end[1]) / 4
    parts = [
        f'<g class="edge edge-{edge.status}" data-from="{escape(edge.sender)}" data-to="{escape(edge.recipient)}">',
        f"<title>{escape(title)}</title>",
        f'<path d="M{start[0]:.1f},{start[1]:.1f} Q{control[0]:.1f},{control[1]:.1f} {end[0]:.1f},{end[1]:.1f}" '
        f'fill="none" stroke="{colour}" stroke-width="{width:.1f}"{dash} marker-end="url(#arrow-{edge.status})"/>',
        f'<text x="{label_x:.1f}" y="{label_y:.1f}" class="edge-label" fill="{colour}">'
        f"{len(edge.flows)}{' §9/10' if edge.special else ''}</text>",
        "</g>",
    ]
    return "".join(parts)


def svg(chain: Chain) -> str:
    """The diagram as an inline SVG element."""
    pos = _positions(chain.partners)
    markers = "".join(
        f'<marker id="arrow-{status}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" '
        f'markerWidth="12" markerHeight="12" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        for status, colour in COLOURS.items()
    )
    names = chain.catalogue.get("partners", {})
    nodes = "".join(
        f'<g class="node" data-partner="{escape(p)}">'
        f"<title>{escape(p)}: {escape(str(names.get(p, {}).get('name', '')))}</title>"
        f'<rect x="{x - _NODE_W / 2:.1f}" y="{y - _NODE_H / 2:.1f}" width="{_NODE_W}" height="{_NODE_H}" rx="8"/>'
        f'<text x="{x:.1f}" y="{y + 5:.1f}" text-anchor="middle">{escape(p)}</text></g>'
        for p, (x, y) in pos.items()
    )
    edges = "".join(_edge(edge, pos) for edge in chain.edges)
    legend = (
        f'<g class="legend" transform="translate(16,{_HEIGHT - 24})">'
        + "".join(
            f'<line x1="{i * 150}" y1="0" x2="{i * 150 + 30}" y2="0" stroke="{COLOURS[s]}" stroke-width="3"/>'
            f'<text x="{i * 150 + 36}" y="4">{label}</text>'
            for i, (s, label) in enumerate([("allow", "allowed"), ("warn", "allowed, warning"), ("deny", "denied")])
        )
        + '<line x1="450" y1="0" x2="480" y2="0" stroke="#555" stroke-width="3" stroke-dasharray="7 4"/>'
        '<text x="486" y="4">special-category or criminal data (§9/10); numbers count flows</text></g>'
    )
    return (
        f'<svg id="diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {_HEIGHT}" width="{_WIDTH}" '
        f'height="{_HEIGHT}" role="img" aria-label="flow diagram"><defs>{markers}</defs>{edges}{nodes}{legend}</svg>'
    )


def mermaid(chain: Chain) -> str:
    """The diagram as a Mermaid flowchart: arrows labelled with documents, coloured by verdict."""
    lines = ["flowchart LR"]
    names = chain.catalogue.get("partners", {})
    node = _node_ids(chain.partners)
    lines.extend(
        f'  {node[p]}["{_mermaid_text(p)}<br/>{_mermaid_text(str(names.get(p, {}).get("name", "")))}"]'
        for p in chain.partners
    )
    styles = []
    for i, edge in enumerate(chain.edges):
        label = _mermaid_text(", ".join(edge.documents) + (" §9/10" if edge.special else ""))
        arrow = "-.->" if edge.special else "-->"
        lines.append(f'  {node[edge.sender]} {arrow}|"{label}"| {node[edge.recipient]}')
        styles.append(f"  linkStyle {i} stroke:{COLOURS[edge.status]},stroke-width:2px")
    return "\n".join(lines + styles) + "\n"


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
