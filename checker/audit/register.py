"""The register of processing activities (AVG art. 30), one entry per flow, derived from the flows and the pack.

Each flow is a disclosure by its sender (the controller) to its recipient for one purpose, so each is one
entry of the sender's register. What the flows cannot say (security measures, transfers outside the EU) is
left to the organisation's own register.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

from checker.audit.view import AuditView
from checker.decide import processing_activity_id
from checker.model import FlowResult
from checker.sanitize import csv_cell

# (column, what it holds): the README's table of register columns is this list.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("flow", "flow id"),
    ("file", "flow file, as named on the command line"),
    ("line", "line of the flow in that file"),
    ("verdict", "allow or deny, as ketencheck decided"),
    ("controller", "the sending partner, whose register this entry belongs to (art. 30(1)(a))"),
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


def entries(chain: AuditView) -> list[dict[str, Any]]:
    """One entry per flow, in report order, with list values kept as lists."""
    return [_entry(chain, result) for result in chain.report.results]


def _entry(chain: AuditView, result: FlowResult) -> dict[str, Any]:
    cat: Mapping[str, Any] = chain.catalogue
    flow = result.flow.document
    purpose = cat.get("purposes", {}).get(flow.get("purpose"), {})
    bases = cat.get("legal_bases", {})
    recipient = cat.get("partners", {}).get(flow.get("to"), {})
    categories = chain.categories(result)
    return {
        "flow": result.flow.id,
        "file": result.flow.file,
        "line": result.flow.line,
        "verdict": result.verdict.value,
        "controller": flow.get("from"),
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


def to_csv(chain: AuditView) -> str:
    """The register as CSV with a header row; lists joined with ';'.

    A text cell that starts with = + - @ (or a tab or CR) is a formula to a spreadsheet: `dpia:
    '=HYPERLINK(...)'` in a flow file would run in whoever opens the register. Such cells, and such list items
    (a spreadsheet set to ';' as separator splits lists into cells), get OWASP's leading single quote.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in COLUMNS])
    for entry in entries(chain):
        writer.writerow([_csv_value(entry[name]) for name, _ in COLUMNS])
    return out.getvalue()


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return csv_cell(";".join(csv_cell(str(item)) for item in value))
    return csv_cell(value) if isinstance(value, str) else value


def to_json(chain: AuditView) -> str:
    """The register as JSON: the columns described, then the entries."""
    document = {
        "version": 1,
        "basis": "AVG art. 30(1)",
        "columns": [{"name": name, "meaning": meaning} for name, meaning in COLUMNS],
        "activities": entries(chain),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
