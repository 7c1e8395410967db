"""Plain-text listings of the catalogue, for `ketencheck catalogue`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

SECTIONS = {
    "partners": "the chain partners a flow names in from and to",
    "documents": "the documents and the fields each holds",
    "fields": "every field, with its GDPR category",
    "purposes": "the purposes, with the partners that pursue them",
    "legal-bases": "the legal bases a flow cites, with their kind",
    "matrix": "who may receive which document for which purpose, in which form, on which bases "
    "(--to, --document, --purpose filter it)",
}


def sections() -> str:
    """What `ketencheck catalogue` lists, one section a line."""
    width = max(len(name) for name in SECTIONS)
    lines = ["usage: ketencheck catalogue SECTION [--format json]", "", "sections:"]
    lines += [f"  {name.ljust(width)}  {what}" for name, what in SECTIONS.items()]
    return "\n".join(lines) + "\n"


def matrix_rows(
    rows: Sequence[Mapping[str, Any]], to: str | None, document: str | None, purpose: str | None
) -> list[Mapping[str, Any]]:
    """The matrix rows for a recipient, document and purpose, each filter optional (a row for any document
    matches every document)."""
    return [
        row
        for row in rows
        if (to is None or to in row["recipients"])
        and (document is None or document in row["documents"] or "*" in row["documents"])
        and (purpose is None or purpose == row["purpose"])
    ]


def render(topic: str, section: Any) -> str:
    """One topic of the catalogue as aligned columns."""
    if topic == "matrix":
        # The fields last and whole: "extract of 10" alone does not say which ten (issue 16, item 10).
        return _table(
            ("row", "recipients", "documents", "purpose", "form", "bases", "fields"),
            [
                (
                    row["id"],
                    ", ".join(row["recipients"]),
                    ", ".join(row["documents"]).replace("*", "any document"),
                    row["purpose"],
                    row["form"] if row["form"] == "integral" else f"extract of {len(row['fields'])}",
                    ", ".join(row["bases"]),
                    "every field of the document" if row["form"] == "integral" else ", ".join(row["fields"]),
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
