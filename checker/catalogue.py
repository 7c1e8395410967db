"""Plain-text listings of the catalogue, for `ketencheck catalogue`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def render(topic: str, section: Any) -> str:
    """One topic of the catalogue as aligned columns."""
    if topic == "matrix":
        return _table(
            ("row", "recipients", "documents", "purpose", "form", "bases"),
            [
                (
                    row["id"],
                    ", ".join(row["recipients"]),
                    ", ".join(row["documents"]).replace("*", "any document"),
                    row["purpose"],
                    row["form"] if row["form"] == "integral" else f"extract of {len(row['fields'])}",
                    ", ".join(row["bases"]),
                )
                for row in section
            ],
        )
    if not isinstance(section, Mapping):
        return ""
    columns = {
        "partners": ("id", "name", "bestuursorgaan", "task"),
        "documents": ("id", "originator", "fields"),
        "fields": ("id", "category", "description"),
        "purposes": ("id", "partners", "anchor"),
        "legal-bases": ("id", "kind", "citation"),
    }[topic]
    rows = []
    for key in sorted(section):
        entry = section[key]
        rows.append((key, *(_cell(entry.get(c)) for c in columns[1:])))
    return _table(columns, rows)


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Sequence) and not isinstance(value, str):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, *rows]:
        cells = [str(c).ljust(w) for c, w in zip(row[:-1], widths, strict=True)] + [str(row[-1])]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"
