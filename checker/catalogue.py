"""Plain-text listings of the catalogue, for `ketencheck catalogue`, in the language in use.

English lists the catalogue as it is written (ids and the catalogue's own English notes). Dutch lists what the
catalogue has in Dutch: the names of catalogue/labels and the law as Dutch text cites it, so that nothing in a
Dutch listing is English; the ids a flow file names stay as they are.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from typing import Any

from checker.i18n import Lang, _
from checker.law import basis_sources
from checker.messages import Texts


def _sections() -> dict[str, str]:
    return {
        "partners": _("the chain partners a flow names in from and to"),
        "documents": _("the documents and the fields each holds"),
        "fields": _("every field, with its GDPR category"),
        "purposes": _("the purposes, with the partners that pursue them"),
        "legal-bases": _("the legal bases a flow cites, with their kind"),
        "matrix": _(
            "who may receive which document for which purpose, in which form, on which bases "
            "(--to, --document, --purpose filter it)"
        ),
    }


def sections() -> str:
    """What `ketencheck catalogue` lists, one section a line."""
    listed = _sections()
    width = max(len(name) for name in listed)
    lines = [_("usage: ketencheck catalogue SECTION [--format json]"), "", _("sections:")]
    lines += [f"  {name.ljust(width)}  {what}" for name, what in listed.items()]
    return "\n".join(lines) + "\n"


def shown(texts: Texts, kind: str, ident: str) -> str:
    """An id as a person reads it: the id itself in English (as every English report has always shown it), its
    name in Dutch, followed by the id where the name does not already spell it (so that the reader finds the id
    a flow file names)."""
    if texts.lang is Lang.EN:
        return ident
    name = texts.name(kind, ident)
    same = re.sub(r"[\s_-]+", "", name).casefold() == re.sub(r"[\s_-]+", "", ident).casefold()
    return name if same else f"{name} ({ident})"


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


def render(topic: str, section: Any, catalogue: Mapping[str, Any] | None = None, texts: Texts | None = None) -> str:
    """One topic of the catalogue as aligned columns, in the language of texts (the one in use by default); Dutch
    takes the names of the ids and the law from the catalogue."""
    texts = texts or Texts(names=(catalogue or {}).get("labels") or {})
    if topic == "matrix":
        # The fields last and whole: "extract of 10" alone does not say which ten (issue 16, item 10).
        return _table(
            (_("row"), _("recipients"), _("documents"), _("purpose"), _("form"), _("bases"), _("fields")),
            [
                (
                    row["id"],
                    ", ".join(row["recipients"]),
                    ", ".join(row["documents"]).replace("*", _("any document")),
                    row["purpose"],
                    _("integral")
                    if row["form"] == "integral"
                    else _("extract of {count}").format(count=len(row["fields"])),
                    ", ".join(row["bases"]),
                    _("every field of the document") if row["form"] == "integral" else ", ".join(row["fields"]),
                )
                for row in section
            ],
        )
    if not isinstance(section, Mapping):
        return ""
    if texts.lang is not Lang.EN:
        return _in_dutch(topic, section, catalogue or {}, texts)
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


def _in_dutch(topic: str, section: Mapping[str, Any], catalogue: Mapping[str, Any], texts: Texts) -> str:
    # The catalogue's notes (task, description, anchor, citation) are English prose: Dutch shows the names and
    # the law instead, which the catalogue has in Dutch.
    name = _("name")
    rows: list[tuple[str, ...]]
    if topic == "partners":
        header: tuple[str, ...] = ("id", name, "bestuursorgaan")
        rows = [(k, texts.name("partners", k), _yes_no(e.get("bestuursorgaan"))) for k, e in sorted(section.items())]
    elif topic == "documents":
        header = ("id", name, _("originator"), _("fields"))
        rows = [
            (
                k,
                texts.name("documents", k),
                shown(texts, "partners", str(e.get("originator", ""))),
                _cell(e.get("fields")),
            )
            for k, e in sorted(section.items())
        ]
    elif topic == "fields":
        header = ("id", name, _("category"))
        rows = [
            (k, texts.name("fields", k), texts.name("categories", str(e.get("category", ""))))
            for k, e in sorted(section.items())
        ]
    elif topic == "purposes":
        header = ("id", name, _("partners"))
        rows = [(k, texts.name("purposes", k), _cell(e.get("partners"))) for k, e in sorted(section.items())]
    else:
        header = ("id", name, _("required"), _("law"))
        law = catalogue.get("law") or {}
        day = _catalogue_date(catalogue)
        rows = [
            (
                k,
                texts.name("legal_bases", k),
                texts.name("basis_kinds", str(e.get("kind", ""))),
                " jo. ".join(texts.law(s) for s in basis_sources(law, section, k, day)),
            )
            for k, e in sorted(section.items())
        ]
    return _table(header, rows)


def _catalogue_date(catalogue: Mapping[str, Any]) -> datetime.date:
    # The listing shows the pack, not a run: the law as of the pack's catalogue date, as `policy docs` does.
    written = str((catalogue.get("pack") or {}).get("catalogue_date", ""))
    try:
        return datetime.date.fromisoformat(written)
    except ValueError:
        return datetime.date.today()


def _yes_no(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return _("not stated")


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
