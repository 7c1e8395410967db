"""report.html: one self-contained file (no network, no external assets) that opens in any browser.

The markup is in templates/report.html and templates/diagram.html, rendered by Jinja2 with autoescaping on and
undefined names an error; this module only gathers the values the page shows.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

import jinja2

from checker.audit import diagram
from checker.audit.view import AuditView
from checker.model import Finding, Severity


@dataclass(frozen=True)
class Citation:
    """A legal reference in the findings table, linked to its official text where there is one."""

    label: str
    href: str
    """The official text of the evaluation date; empty when there is no https link to make."""
    verified: bool


@dataclass(frozen=True)
class FindingRow:
    """One row of the findings table."""

    flow: str
    where: str
    severity: str
    severity_class: str
    rule: str
    message: str
    citations: tuple[Citation, ...]
    refs: str
    """The legal references as text, shown when the finding carries no sources to link."""
    fix: str


@dataclass(frozen=True)
class FlowRow:
    """One row of the flows table."""

    id: str
    sender: str
    recipient: str
    document: str
    form: str
    purpose: str
    categories: str
    verdict: str


@functools.cache
def _environment() -> jinja2.Environment:
    # Autoescaping for every template whatever its name, so no value reaches the page unescaped by oversight;
    # StrictUndefined turns a misspelt name into an error instead of an empty cell. Loaded from the installed
    # package (importlib), so it works from a wheel as from a checkout; built once per process.
    return jinja2.Environment(
        loader=jinja2.PackageLoader("checker.audit", "templates"),
        autoescape=jinja2.select_autoescape(default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _verdicts(chain: AuditView) -> str:
    report = chain.report
    return (
        f"{len(report.results)} flows: {report.allowed} allowed, {report.denied} denied, {report.waived} waived; "
        f"{len(report.errors)} input errors"
    )


def render(chain: AuditView, generated: str) -> str:
    """The whole page."""
    report = chain.report
    engine = report.engine
    counts = [
        ("flows", len(report.results), ""),
        ("allowed", report.allowed, "allow"),
        ("denied", report.denied, "deny"),
        ("warnings", report.count(Severity.WARNING), "warn"),
        ("waived", report.waived, ""),
        ("input errors", len(report.errors), "deny" if report.errors else ""),
    ]
    documents = sorted({c.document for c in chain.cells})
    template = _environment().get_template("report.html")
    return template.render(
        title="ketencheck audit",
        pack=chain.pack,
        opa_version=engine.version if engine else "?",
        generated=generated,
        counts=counts,
        drawing=diagram.layout(chain),
        documents=documents,
        matrix=_matrix(chain, documents),
        findings=_findings(chain),
        flows=_flows(chain),
        waivers=report.waivers,
        errors=report.errors,
        inputs=chain.inputs,
        checked_at=chain.checked_at,
        verdicts=_verdicts(chain),
        worst=chain.worst(),
        waivers_due=chain.waivers_due(datetime.date.fromisoformat(generated)),
    )


def _matrix(chain: AuditView, documents: list[str]) -> list[tuple[str, list[tuple[str, str, tuple[str, ...]]]]]:
    # Per recipient, per document: the cell's text, its class (its worst verdict, or none without flows) and
    # why its flows were denied.
    by_key = {(c.recipient, c.document): c for c in chain.cells}
    rows = []
    for recipient in sorted({c.recipient for c in chain.cells}):
        cells: list[tuple[str, str, tuple[str, ...]]] = []
        for document in documents:
            cell = by_key.get((recipient, document))
            if cell is None:
                cells.append(("", "cell-none", ()))
            else:
                cells.append(
                    (
                        f"allowed: {cell.allowed} · requested: {', '.join(cell.requested)}",
                        f"cell-{cell.status}",
                        cell.reasons,
                    )
                )
        rows.append((recipient, cells))
    return rows


def _findings(chain: AuditView) -> list[FindingRow]:
    return [
        FindingRow(
            flow=result.flow.id,
            where=f"{result.flow.file}:{result.flow.line}",
            severity=f"waived {f.severity.value}" if f.waiver else f.severity.value,
            severity_class="waived" if f.waiver else f"sev-{f.severity.value}",
            rule=str(f.rule),
            message=f.message,
            citations=_citations(f),
            refs="; ".join(f.legal_refs),
            fix=f.fix or "",
        )
        for result in chain.report.results
        for f in result.findings
    ]


def _citations(finding: Finding) -> tuple[Citation, ...]:
    # Each citation links to the official text of the evaluation date; only https links from the pack are made.
    return tuple(
        Citation(s.label, s.url if s.url.startswith("https://") else "", s.verified) for s in finding.legal_sources
    )


def _flows(chain: AuditView) -> list[FlowRow]:
    rows = []
    for result in chain.report.results:
        doc = result.flow.document
        rows.append(
            FlowRow(
                id=result.flow.id,
                sender=str(doc.get("from")),
                recipient=str(doc.get("to")),
                document=str(doc.get("document")),
                form=str(doc.get("form")),
                purpose=str(doc.get("purpose")),
                categories=", ".join(chain.categories(result)),
                verdict=result.verdict.value,
            )
        )
    return rows
