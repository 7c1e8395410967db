"""report.html: one self-contained file (no network, no external assets) that opens in any browser.

The markup is in templates/report.html and templates/diagram.html, rendered by Jinja2 with autoescaping on and
undefined names an error; this module only gathers the values the page shows.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

import jinja2

from checker import i18n
from checker.audit import diagram
from checker.audit.view import AuditView, status_word, verdict_mark, waiver_status
from checker.i18n import _
from checker.messages import Texts
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


def _environment(lang: i18n.Lang | None = None) -> jinja2.Environment:
    # The environment of the language in use unless one is named.
    return _environment_in(lang or i18n.current())


@functools.cache
def _environment_in(lang: i18n.Lang) -> jinja2.Environment:
    # Autoescaping for every template whatever its name, so no value reaches the page unescaped by oversight;
    # StrictUndefined turns a misspelt name into an error instead of an empty cell. Loaded from the installed
    # package (importlib), so it works from a wheel as from a checkout; built once per process and language.
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("checker.audit", "templates"),
        autoescape=jinja2.select_autoescape(default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # newstyle: {% trans %} and _() take named %(placeholders)s and escape the values put into them, while the
    # text of the catalogue itself, ours, is markup.
    environment.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return environment


def _verdicts(chain: AuditView) -> str:
    report = chain.report
    return _("{flows} flows: {allowed} allowed, {denied} denied, {waived} waived; {errors} input errors").format(
        flows=len(report.results),
        allowed=report.allowed,
        denied=report.denied,
        waived=report.waived,
        errors=len(report.errors),
    )


def render(chain: AuditView, generated: str) -> str:
    """The whole page."""
    report = chain.report
    engine = report.engine
    counts = [
        (_("flows"), len(report.results), ""),
        (_("allowed"), report.allowed, "allow"),
        (_("denied"), report.denied, "deny"),
        (_("warnings"), report.count(Severity.WARNING), "warn"),
        (_("waived"), report.waived, ""),
        (_("input errors"), len(report.errors), "deny" if report.errors else ""),
    ]
    documents = sorted({c.document for c in chain.cells})
    lang = i18n.current()
    template = _environment(lang).get_template("report.html")
    return template.render(
        lang=lang.value,
        name=chain.name,
        status_word=status_word,
        verdict_mark=verdict_mark,
        waiver_status=waiver_status,
        title="ketencheck audit",
        pack=chain.pack,
        opa_version=engine.version if engine else "?",
        generated=generated,
        counts=counts,
        drawing=diagram.layout(chain),
        documents=[chain.name("documents", d) for d in documents],
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
                        _("allowed: {allowed} · requested: {requested}").format(
                            allowed=form_name(chain, cell.allowed),
                            requested=", ".join(form_name(chain, f) for f in cell.requested),
                        ),
                        f"cell-{cell.status}",
                        cell.reasons,
                    )
                )
        rows.append((recipient, cells))
    return rows


def form_name(chain: AuditView, form: str) -> str:
    """A form (integral, extract) by its name; none, what the matrix allows where no row admits the recipient,
    in words."""
    return _("none") if form == "none" else chain.name("forms", form)


def severity_name(chain: AuditView, finding: Finding) -> str:
    """A finding's severity by its name, said to be waived where a waiver accepted it."""
    severity = chain.name("severities", finding.severity.value)
    return _("waived {severity}").format(severity=severity) if finding.waiver else severity


def _findings(chain: AuditView) -> list[FindingRow]:
    texts = chain.texts
    return [
        FindingRow(
            flow=result.flow.id,
            where=f"{result.flow.file}:{result.flow.line}",
            severity=severity_name(chain, f),
            severity_class="waived" if f.waiver else f"sev-{f.severity.value}",
            rule=str(f.rule),
            message=texts.message(f),
            citations=_citations(f, texts),
            refs="; ".join(f.legal_refs),
            fix=texts.fix(f) or "",
        )
        for result in chain.report.results
        for f in result.findings
    ]


def _citations(finding: Finding, texts: Texts) -> tuple[Citation, ...]:
    # Each citation links to the official text of the evaluation date; only https links from the pack are made.
    return tuple(
        Citation(texts.law(s), s.url if s.url.startswith("https://") else "", s.verified) for s in finding.legal_sources
    )


def _flows(chain: AuditView) -> list[FlowRow]:
    rows = []
    for result in chain.report.results:
        doc = result.flow.document
        rows.append(
            FlowRow(
                id=result.flow.id,
                sender=chain.name("partners", doc.get("from")),
                recipient=chain.name("partners", doc.get("to")),
                document=chain.name("documents", doc.get("document")),
                form=chain.name("forms", doc.get("form")),
                purpose=chain.name("purposes", doc.get("purpose")),
                categories=", ".join(chain.name("categories", c) for c in chain.categories(result)),
                verdict=result.verdict.value,
            )
        )
    return rows
