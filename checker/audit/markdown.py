"""report.md: the audit as Markdown, with the diagram as Mermaid so that GitHub and GitLab draw it."""

from __future__ import annotations

import datetime

from checker.audit import diagram
from checker.audit.html import form_name, severity_name
from checker.audit.view import AuditView, waiver_status
from checker.format.markdown import cell, code, counts_table, input_errors
from checker.i18n import _, ngettext
from checker.model import Finding, Severity
from checker.sanitize import markdown_fence


def render(chain: AuditView, generated: str) -> str:
    """The whole report."""
    report = chain.report
    engine = report.engine
    texts = chain.texts
    out = [
        _("# ketencheck audit: the chain at a glance"),
        "",
        _("Policy pack {pack} · OPA {opa} · generated {generated}").format(
            pack=cell(chain.pack), opa=cell(engine.version) if engine else "?", generated=generated
        ),
        "",
        *counts_table(report),
        "",
        *_summary(chain, generated),
        _("## Flow diagram"),
        "",
        _(
            "Arrows are coloured by verdict (green allowed, amber allowed with a warning, red denied) and say so in "
            "words (✓ allowed, ✗ denied); a pair's allowed and denied flows are separate arrows. Dotted arrows "
            "carry special-category or criminal data (§9/10)."
        ),
        "",
        "```mermaid",
        diagram.mermaid(chain).rstrip("\n"),
        "```",
        "",
        _("## Partner × document matrix"),
        "",
        _(
            "Each cell: the widest form the need-to-know matrix allows, against the forms the flows ask for; "
            "where flows were denied, the rules that denied them and what they name (e.g. the surplus fields)."
        ),
        "",
    ]
    documents = sorted({c.document for c in chain.cells})
    by_key = {(c.recipient, c.document): c for c in chain.cells}
    mark = {"deny": "❌", "warn": "⚠️", "allow": "✅"}
    out.append(f"| {_('recipient')} | " + " | ".join(cell(chain.name("documents", d)) for d in documents) + " |")
    out.append("|---|" + "---|" * len(documents))
    for recipient in sorted({c.recipient for c in chain.cells}):
        cells = []
        for document in documents:
            found = by_key.get((recipient, document))
            cells.append(
                ""
                if found is None
                else f"{mark[found.status]} "
                + _("allowed: {allowed}; requested: {requested}").format(
                    allowed=cell(form_name(chain, found.allowed)),
                    requested=cell(", ".join(form_name(chain, f) for f in found.requested)),
                )
                + "".join(f"<br/>✗ {cell(reason)}" for reason in found.reasons)
            )
        out.append(f"| {cell(chain.name('partners', recipient))} | " + " | ".join(cells) + " |")
    out += ["", _("## Findings"), ""]
    findings = [(r, f) for r in report.results for f in r.findings]
    if findings:
        out += [_("| flow | where | severity | rule | what | law |"), "|---|---|---|---|---|---|"]
        for r, f in findings:
            out.append(
                f"| {code(r.flow.id)} | {code(f'{r.flow.file}:{r.flow.line}')} | {severity_name(chain, f)} "
                f"| {cell(f.rule)} | {cell(texts.message(f))} "
                f"| {cell('; '.join(_citations(f, chain)))} |"
            )
        fixes = [(r, f) for r, f in findings if texts.fix(f) and f.counts and f.severity is Severity.ERROR]
        if fixes:
            out += ["", _("### Fixes"), ""]
            for r, f in fixes:
                out += [
                    f"{code(r.flow.id, False)} ({cell(f.rule)}):",
                    "",
                    *markdown_fence(texts.fix(f) or "", "yaml"),
                    "",
                ]
    else:
        out.append(_("No findings."))
    out += ["", _("## Waivers"), ""]
    if report.waivers:
        out += [
            _("| flow | rule | status | approver | DPIA | expires | justification |"),
            "|---|---|---|---|---|---|---|",
        ]
        for w in report.waivers:
            out.append(
                f"| {code(w.waiver.flow)} | {cell(w.waiver.rule)} | {waiver_status(w.status)} "
                f"| {cell(w.waiver.approver)} | {cell(w.waiver.dpia)} | {w.waiver.expires.isoformat()} "
                f"| {cell(w.waiver.justification)} |"
            )
    else:
        out.append(_("No waivers given."))
    if report.errors:
        out += ["", _("## Input errors (not checked)"), ""]
        out += input_errors(report)
    out += [
        "",
        _("## Register of processing"),
        "",
        _(
            "One entry per flow, per AVG art. 30(1), grouped by processing activity (controller, purpose): "
            "`register.xlsx`, `register.csv` and `register.json` beside this file. Denied flows are listed after the "
            "register, marked `in_register: no`: they are not processing that may happen."
        ),
        "",
        _("## Sign-off"),
        "",
        _("Seen and assessed by the data protection officer (FG):"),
        "",
        "| | |",
        "|---|---|",
        f"| {_('name')} | |",
        f"| {_('role')} | |",
        f"| {_('date')} | |",
        f"| {_('signature')} | |",
        "",
    ]
    return "\n".join(out)


def _citations(finding: Finding, chain: AuditView) -> list[str]:
    # The law as the reader's language cites it, from the finding's sources (in English the same text as its
    # legal_refs); a finding without sources keeps its references as the policy gave them.
    if finding.legal_sources:
        return [chain.texts.law(s) for s in finding.legal_sources]
    return list(finding.legal_refs)


def _summary(chain: AuditView, generated: str) -> list[str]:
    # The first section, for a director: what was checked, the verdicts, the worst findings, the waivers in force.
    report = chain.report
    out = [
        _("## Summary"),
        "",
        _("- Checked: {inputs}").format(inputs=cell(", ".join(chain.inputs)) if chain.inputs else "?"),
        _("- When: {when} (law and waivers as of {generated})").format(
            when=chain.checked_at or generated, generated=generated
        ),
        _("- Policy pack: {pack}").format(pack=cell(chain.pack)),
        _(
            "- Verdicts: {flows} flows: {allowed} allowed, {denied} denied, {waived} waived; {errors} input errors"
        ).format(
            flows=len(report.results),
            allowed=report.allowed,
            denied=report.denied,
            waived=report.waived,
            errors=len(report.errors),
        ),
        "",
        _("Worst findings:"),
        "",
    ]
    worst = chain.worst()
    out += [
        f"{i}. "
        + ngettext("**{rule}** denies {n} flow: {message}", "**{rule}** denies {n} flows: {message}", n).format(
            rule=cell(rule), n=n, message=cell(message)
        )
        for i, (rule, n, message) in enumerate(worst, 1)
    ] or [_("No flow is denied.")]
    out += ["", _("Open and expiring waivers:"), ""]
    due = chain.waivers_due(datetime.date.fromisoformat(generated))
    out += [
        _("- {flow} ({rule}), approved by {approver}, until {until}: **{note}**").format(
            flow=code(w.waiver.flow),
            rule=cell(w.waiver.rule),
            approver=cell(w.waiver.approver),
            until=w.waiver.expires.isoformat(),
            note=note,
        )
        for w, note in due
    ] or [_("No waivers given.")]
    return [*out, ""]
