"""The register of processing activities (AVG art. 30), one entry per flow, derived from the flows and the pack.

Each flow is a disclosure by its sender (the controller) to its recipient for one purpose, so each is one
entry of the sender's register, grouped by processing activity (controller, purpose). A denied flow is not
processing that may happen: it is listed after the register, with `in_register: no`. What the flows cannot say
(security measures, transfers outside the EU) is left to the organisation's own register; the controllers'
names and contacts and their FG come from a register config (--register-config).

Language: the spreadsheets (CSV and XLSX) are for people, who open them in Excel: their headers and words follow
the reader's language, in Dutch the terms of the Autoriteit Persoonsgegevens' model verwerkingsregister, with
documents, forms, purposes, fields and categories by their names. The JSON is for machines: its keys and values
are the same in every language (the column names of COLUMNS). A script reads the JSON, or the CSV of an English
run.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from checker import i18n
from checker.audit.view import AuditView, status_word
from checker.decide import processing_activity_id
from checker.errors import InputError
from checker.i18n import _
from checker.model import FlowResult, Verdict
from checker.sanitize import csv_cell

NOT_IN_REGISTER = "no: denied, not processing that may happen"


@dataclass(frozen=True)
class Controller:
    """What a register says about a controller that the flows cannot: its name, contact and FG."""

    name: str = ""
    contact: str = ""
    fg: str = ""
    """The data protection officer (FG): name and how to reach them (art. 30(1)(a))."""


@dataclass(frozen=True)
class RegisterConfig:
    """The organisation's part of the register, by partner id (--register-config)."""

    controllers: Mapping[str, Controller] = field(default_factory=dict)


def load_config(path: Path) -> RegisterConfig:
    """Read a register config: `controllers: {ID: {name, contact, fg}}`, every value a string."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: cannot read the register config: {exc}") from exc
    controllers = document.get("controllers") if isinstance(document, dict) else None
    if not isinstance(controllers, dict) or set(document) != {"controllers"}:
        raise InputError(
            f"{path}: a register config is a mapping with one key, controllers: {{ID: {{name, contact, fg}}}}"
        )
    parsed = {}
    for partner, entry in controllers.items():
        if not isinstance(entry, dict) or not set(entry) <= {"name", "contact", "fg"}:
            raise InputError(f"{path}: controllers.{partner}: give name, contact and fg, nothing else")
        if not all(isinstance(v, str) for v in entry.values()):
            raise InputError(f"{path}: controllers.{partner}: name, contact and fg are text")
        parsed[str(partner)] = Controller(**entry)
    return RegisterConfig(parsed)


# (column, what it holds): the README's table of register columns is this list.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("flow", "flow id"),
    ("file", "flow file, as named on the command line"),
    ("line", "line of the flow in that file"),
    ("verdict", "allow or deny, as ketencheck decided"),
    ("in_register", f"yes for processing that may happen; `{NOT_IN_REGISTER}` for a denied flow, listed apart"),
    ("processing_activity", "the activity the entry belongs to: controller and purpose; entries are grouped by it"),
    ("controller", "the sending partner, whose register this entry belongs to (art. 30(1)(a))"),
    ("controller_name", "the controller's name, from the register config or else the catalogue"),
    ("controller_contact", "the controller's contact (art. 30(1)(a)), from the register config"),
    ("fg_contact", "the data protection officer (FG) and how to reach them (art. 30(1)(a)), from the register config"),
    ("recipient", "the receiving partner (art. 30(1)(d))"),
    ("recipient_name", "the recipient's name from the catalogue"),
    ("purpose", "the purpose id (art. 30(1)(b))"),
    ("purpose_anchor", "the statutory task the purpose rests on"),
    ("legal_basis", "the legal-basis ids the flow cites, separated by ;"),
    ("legal_basis_citations", "the same as citations (e.g. AVG art. 6(1)(c)), separated by ;"),
    ("document", "the document type"),
    ("form", "integral or extract"),
    ("data_fields", "the fields disclosed (all of the document's for an integral flow), separated by ;"),
    ("data_categories", "their GDPR categories: ordinary, national_id, special, criminal (art. 30(1)(c))"),
    ("special_categories", "yes when art. 9 data is disclosed"),
    ("criminal_data", "yes when art. 10 data is disclosed"),
    ("data_subjects", "the categories of data subjects (art. 30(1)(c)), from the catalogue"),
    ("retention", "the flow's retention period, ISO 8601 (art. 30(1)(f)); empty when not stated"),
    ("retention_max", "the longest retention the pack allows for the purpose"),
    ("volume", "records per year, when the flow declares it"),
    ("dpia", "the DPIA reference, when the flow cites one"),
    (
        "processing_activity_id",
        "stable, versioned id of the activity (pa:<flow>:<digest>); a new id when the activity changes; "
        "decisions and their logs cite it",
    ),
)


def entries(chain: AuditView, config: RegisterConfig | None = None) -> list[dict[str, Any]]:
    """One entry per flow, with list values kept as lists: the register's entries grouped by processing activity
    (controller, purpose), then the denied flows apart, grouped the same way."""
    results = sorted(
        chain.report.results,
        key=lambda r: (
            r.verdict is Verdict.DENY,
            str(r.flow.document.get("from")),
            str(r.flow.document.get("purpose")),
        ),
    )
    return [_entry(chain, result, config or RegisterConfig()) for result in results]


def _entry(chain: AuditView, result: FlowResult, config: RegisterConfig) -> dict[str, Any]:
    cat: Mapping[str, Any] = chain.catalogue
    flow = result.flow.document
    sender = str(flow.get("from"))
    controller = config.controllers.get(sender, Controller())
    purpose = cat.get("purposes", {}).get(flow.get("purpose"), {})
    bases = cat.get("legal_bases", {})
    recipient = cat.get("partners", {}).get(flow.get("to"), {})
    categories = chain.categories(result)
    return {
        "flow": result.flow.id,
        "file": result.flow.file,
        "line": result.flow.line,
        "verdict": result.verdict.value,
        "in_register": NOT_IN_REGISTER if result.verdict is Verdict.DENY else "yes",
        "processing_activity": f"{sender} · {flow.get('purpose')}",
        "controller": flow.get("from"),
        "controller_name": controller.name or cat.get("partners", {}).get(sender, {}).get("name", ""),
        "controller_contact": controller.contact,
        "fg_contact": controller.fg,
        "recipient": flow.get("to"),
        "recipient_name": recipient.get("name", ""),
        "purpose": flow.get("purpose"),
        "purpose_anchor": purpose.get("anchor", ""),
        "legal_basis": list(flow.get("legal_basis", [])),
        "legal_basis_citations": [
            bases.get(b, {}).get("citation", f"{b} (unknown)") for b in flow.get("legal_basis", [])
        ],
        "document": flow.get("document"),
        "form": flow.get("form"),
        "data_fields": chain.fields(result),
        "data_categories": categories,
        "special_categories": "yes" if "special" in categories else "no",
        "criminal_data": "yes" if "criminal" in categories else "no",
        "data_subjects": cat.get("register", {}).get("data_subjects", ""),
        "retention": flow.get("retention", ""),
        "retention_max": purpose.get("retention", {}).get("max", ""),
        "volume": flow.get("volume", ""),
        "dpia": flow.get("dpia", ""),
        "processing_activity_id": processing_activity_id(flow),
    }


def headers() -> list[str]:
    """The register's column headers in the reader's language: in Dutch the terms of the Autoriteit
    Persoonsgegevens' model verwerkingsregister, in English the column names (as the JSON names them). A header
    has a context of its own in the catalogue: "purpose" is a table header elsewhere, "Doel(en) van de verwerking"
    only here."""
    pgettext = i18n.translations(i18n.current()).pgettext
    translated = {
        "flow": pgettext("register column", "flow"),
        "file": pgettext("register column", "file"),
        "line": pgettext("register column", "line"),
        "verdict": pgettext("register column", "verdict"),
        "in_register": pgettext("register column", "in_register"),
        "processing_activity": pgettext("register column", "processing_activity"),
        "controller": pgettext("register column", "controller"),
        "controller_name": pgettext("register column", "controller_name"),
        "controller_contact": pgettext("register column", "controller_contact"),
        "fg_contact": pgettext("register column", "fg_contact"),
        "recipient": pgettext("register column", "recipient"),
        "recipient_name": pgettext("register column", "recipient_name"),
        "purpose": pgettext("register column", "purpose"),
        "purpose_anchor": pgettext("register column", "purpose_anchor"),
        "legal_basis": pgettext("register column", "legal_basis"),
        "legal_basis_citations": pgettext("register column", "legal_basis_citations"),
        "document": pgettext("register column", "document"),
        "form": pgettext("register column", "form"),
        "data_fields": pgettext("register column", "data_fields"),
        "data_categories": pgettext("register column", "data_categories"),
        "special_categories": pgettext("register column", "special_categories"),
        "criminal_data": pgettext("register column", "criminal_data"),
        "data_subjects": pgettext("register column", "data_subjects"),
        "retention": pgettext("register column", "retention"),
        "retention_max": pgettext("register column", "retention_max"),
        "volume": pgettext("register column", "volume"),
        "dpia": pgettext("register column", "dpia"),
        "processing_activity_id": pgettext("register column", "processing_activity_id"),
    }
    return [translated[name] for name, _meaning in COLUMNS]


def _for_a_person(chain: AuditView, entry: dict[str, Any]) -> dict[str, Any]:
    # The spreadsheet's words in the reader's language: verdicts, yes and no, and documents, forms, purposes,
    # fields and categories by their names. Ids that are keys (flow, controller, recipient, legal_basis and the
    # activity id) stay ids; the JSON keeps every value as it is, for machines. The English register stays what
    # it was, its values the JSON's: the ids are the English reader's words, and scripts read its columns.
    if chain.texts.lang is i18n.Lang.EN:
        return entry

    def yes_no(value: str) -> str:
        return _("yes") if value == "yes" else _("no")

    def names(kind: str, values: list[str]) -> list[str]:
        return [chain.name(kind, v) for v in values]

    bases = [chain.name("legal_bases", b) for b in entry["legal_basis"]]
    return {
        **entry,
        "verdict": status_word(entry["verdict"]),
        "in_register": _("no: denied, not processing that may happen")
        if entry["in_register"] == NOT_IN_REGISTER
        else yes_no(entry["in_register"]),
        "processing_activity": f"{entry['controller']} · {chain.name('purposes', entry['purpose'])}",
        "purpose": chain.name("purposes", entry["purpose"]),
        # A readable name of a legal basis where the catalogue has one, else the citation as the pack gives it.
        "legal_basis_citations": [
            name if name != basis else citation
            for name, basis, citation in zip(bases, entry["legal_basis"], entry["legal_basis_citations"], strict=True)
        ],
        "document": chain.name("documents", entry["document"]),
        "form": chain.name("forms", entry["form"]),
        "data_fields": names("fields", entry["data_fields"]),
        "data_categories": names("categories", entry["data_categories"]),
        "special_categories": yes_no(entry["special_categories"]),
        "criminal_data": yes_no(entry["criminal_data"]),
    }


def to_csv(chain: AuditView, config: RegisterConfig | None = None) -> str:
    """The register as CSV per RFC 4180 (CRLF line ends) with a header row, UTF-8 with a byte order mark so
    that Excel does not read it as the local code page; lists joined with ';'.

    A text cell that starts with = + - @ (or a tab or CR) is a formula to a spreadsheet: `dpia:
    '=HYPERLINK(...)'` in a flow file would run in whoever opens the register. Such cells, and such list items
    (a spreadsheet set to ';' as separator splits lists into cells), get OWASP's leading single quote.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers())
    for entry in entries(chain, config):
        shown = _for_a_person(chain, entry)
        writer.writerow([_csv_value(shown[name]) for name, _meaning in COLUMNS])
    return out.getvalue()


# Columns a spreadsheet should hold as numbers; every other cell is a string.
_NUMBERS = ("line", "volume")


def to_xlsx(chain: AuditView, config: RegisterConfig | None = None) -> bytes:
    """The register as an Excel workbook: a header row, typed columns, an autofilter and a frozen header, so
    that it opens the same in a Dutch Excel (which splits a CSV on ';') as anywhere.

    Every text cell is written as a string cell (data type s), which a spreadsheet never evaluates; openpyxl
    would otherwise store a value starting with = as a formula. The cell also keeps the CSV's leading quote
    (csv_cell), so that a user who edits the cell and presses Enter does not turn it into a formula either.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "register"
    names = [name for name, _meaning in COLUMNS]
    titles = headers()
    sheet.append(titles)
    for header in sheet[1]:
        header.font = Font(bold=True)
    for row, entry in enumerate(entries(chain, config), start=2):
        shown = _for_a_person(chain, entry)
        for column, name in enumerate(names, start=1):
            value = shown[name]
            target = sheet.cell(row=row, column=column)
            if name in _NUMBERS and isinstance(value, int) and not isinstance(value, bool):
                target.value = value
            else:
                target.value = _csv_value(value if isinstance(value, list) else str(value))
                target.data_type = "s"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(names))}{max(sheet.max_row, 1)}"
    sheet.freeze_panes = "B2"
    for column, title in enumerate(titles, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(len(title) + 2, 12), 40)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return csv_cell(";".join(csv_cell(str(item)) for item in value))
    return csv_cell(value) if isinstance(value, str) else value


def to_json(chain: AuditView, config: RegisterConfig | None = None) -> str:
    """The register as JSON: the columns described, then the entries (the register's, then the denied flows)."""
    document = {
        "version": 1,
        "basis": "AVG art. 30(1)",
        "columns": [{"name": name, "meaning": meaning} for name, meaning in COLUMNS],
        "activities": entries(chain, config),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
