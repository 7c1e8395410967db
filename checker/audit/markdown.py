"""report.md: the audit as Markdown, with the diagram as Mermaid so that GitHub and GitLab draw it."""

from __future__ import annotations

import datetime

from checker.audit import diagram
from checker.audit.view import AuditView
from checker.format.markdown import cell, code, counts_table, input_errors
from checker.model import Severity
from checker.sanitize import markdown_fence


def render(chain: AuditView, generated: str) -> str:
    """The whole report."""
    report = chain.report
    engine = report.engine
    out = [
        "# ketencheck audit: the chain at a glance",
        "",
        f"Policy pack {cell(chain.pack)} · OPA {cell(engine.version) if engine else '?'} · generated {generated}",
        "",
        *counts_table(report),
        "",
        *_summary(chain, generated),
        "## Flow diagram",
        "",
        "Arrows are coloured by verdict (green allowed, amber allowed with a warning, red denied) and say so in "
        "words (✓ allowed, ✗ denied); a pair's allowed and denied flows are separate arrows. Dotted arrows "
        "carry special-category or criminal data (§9/10).",
        "",
        "```mermaid",
        diagram.mermaid(chain).rstrip("\n"),
        "```",
        "",
        "## Partner × document matrix",
        "",
        "Each cell: the widest form the need-to-know matrix allows, against the forms the flows ask for; "
        "where flows were denied, the rules that denied them and what they name (e.g. the surplus fields).",
        "",
    ]
    documents = sorted({c.document for c in chain.cells})
    by_key = {(c.recipient, c.document): c for c in chain.cells}
    mark = {"deny": "❌", "warn": "⚠️", "allow": "✅"}
    out.append("| recipient | " + " | ".join(cell(d) for d in documents) + " |")
    out.append("|---|" + "---|" * len(documents))
    for recipient in sorted({c.recipient for c in chain.cells}):
        cells = []
        for document in documents:
            found = by_key.get((recipient, document))
            cells.append(
                ""
                if found is None
                else f"{mark[found.status]} allowed: {cell(found.allowed)}; "
                f"requested: {cell(', '.join(found.requested))}"
                + "".join(f"<br/>✗ {cell(reason)}" for reason in found.reasons)
            )
        out.append(f"| {cell(recipient)} | " + " | ".join(cells) + " |")
    out += ["", "## Findings", ""]
    findings = [(r, f) for r in report.results for f in r.findings]
    if findings:
        out += ["| flow | where | severity | rule | what | law |", "|---|---|---|---|---|---|"]
        for r, f in findings:
            severity = f"waived {f.severity.value}" if f.waiver else f.severity.value
            out.append(
                f"| {code(r.flow.id)} | {code(f'{r.flow.file}:{r.flow.line}')} | {severity} | {cell(f.rule)} "
                f"| {cell(f.message)} "
                f"| {cell('; '.join(f.legal_refs))} |"
            )
        fixes = [(r, f) for r, f in findings if f.fix and f.counts and f.severity is Severity.ERROR]
        if fixes:
            out += ["", "### Fixes", ""]
            for r, f in fixes:
                out += [f"{code(r.flow.id, False)} ({cell(f.rule)}):", "", *markdown_fence(f.fix or "", "yaml"), ""]
    else:
        out.append("No findings.")
    out += ["", "## Waivers", ""]
    if report.waivers:
        out += ["| flow | rule | status | approver | DPIA | expires | justification |", "|---|---|---|---|---|---|---|"]
        for w in report.waivers:
            out.append(
                f"| {code(w.waiver.flow)} | {cell(w.waiver.rule)} | {w.status.value} | {cell(w.waiver.approver)} "
                f"| {cell(w.waiver.dpia)} | {w.waiver.expires.isoformat()} | {cell(w.waiver.justification)} |"
            )
    else:
        out.append("No waivers given.")
    if report.errors:
        out += ["", "## Input errors (not checked)", ""]
        out += input_errors(report)
    out += [
        "",
        "## Register of processing",
        "",
        "One entry per flow, per AVG art. 30(1), grouped by processing activity (controller, purpose): "
        "`register.xlsx`, `register.csv` and `register.json` beside this file. Denied flows are listed after the "
        "register, marked `in_register: no`: they are not processing that may happen.",
        "",
        "## Sign-off",
        "",
        "Seen and assessed by the data protection officer (FG):",
        "",
        "| | |",
        "|---|---|",
        "| name | |",
        "| role | |",
        "| date | |",
        "| signature | |",
        "",
    ]
    return "\n".join(out)


def _summary(chain: AuditView, generated: str) -> list[str]:
    # The first section, for a director: what was checked, the verdicts, the worst findings, the waivers in force.
    report = chain.report
    out = [
        "## Summary",
        "",
        f"- Checked: {cell(', '.join(chain.inputs)) if chain.inputs else '?'}",
        f"- When: {chain.checked_at or generated} (law and waivers as of {generated})",
        f"- Policy pack: {cell(chain.pack)}",
        f"- Verdicts: {len(report.results)} flows: {report.allowed} allowed, {report.denied} denied, "
        f"{report.waived} waived; {len(report.errors)} input errors",
        "",
        "Worst findings:",
        "",
    ]
    worst = chain.worst()
    out += [
        f"{i}. **{cell(rule)}** denies {n} flow{'s' if n != 1 else ''}: {cell(message)}"
        for i, (rule, n, message) in enumerate(worst, 1)
    ] or ["No flow is denied."]
    out += ["", "Open and expiring waivers:", ""]
    due = chain.waivers_due(datetime.date.fromisoformat(generated))
    out += [
        f"- {code(w.waiver.flow)} ({cell(w.waiver.rule)}), approved by {cell(w.waiver.approver)}, until "
        f"{w.waiver.expires.isoformat()}: **{note}**"
        for w, note in due
    ] or ["No waivers given."]
    return [*out, ""]
