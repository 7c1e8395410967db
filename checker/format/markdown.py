"""A Markdown summary fit for a pull-request comment: the verdict first, then what to fix and why.

Everything from the input or the engine is escaped for where it lands (checker.sanitize): table cells and list
items, code spans, fenced fixes. A flow file must not be able to write headings, @mentions or images into a
comment that reviewers trust.
"""

from __future__ import annotations

from html import escape

from checker.model import Finding, FlowResult, Report, Severity, Verdict
from checker.sanitize import markdown_code, markdown_fence, markdown_text, printable

_ICON = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}


def cell(text: object) -> str:
    """A Markdown table cell (or list item) from untrusted text: one line, Markdown and mentions made inert."""
    return markdown_text(text)


def code(text: object, in_table: bool = True) -> str:
    """Untrusted text as inline code, e.g. a file name: no backtick or pipe in it can end the span or the cell."""
    return markdown_code(text, in_table)


def counts_table(report: Report) -> list[str]:
    """The counts of a report as a one-row Markdown table (the PR comment and the audit share it)."""
    return [
        "| flows | allowed | denied | baselined | warnings | waived | input errors |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {len(report.results)} | {report.allowed} | {report.denied} | {report.baselined} "
        f"| {report.count(Severity.WARNING)} | {report.waived} | {len(report.errors)} |",
    ]


def input_errors(report: Report) -> list[str]:
    """One bullet per input error, with file and line."""
    return [f"- {code(f'{e.file}:{e.line}' if e.line else e.file, False)}: {cell(e.message)}" for e in report.errors]


class MarkdownFormat:
    """Summary line and counts, a table of findings per denied or warned flow, fixes as YAML, then the rest."""

    def render(self, report: Report) -> str:
        """The whole comment, ending in a newline."""
        out = ["## ketencheck", ""]
        if report.errors:
            verdict = f"**{len(report.errors)} input error(s): not everything could be checked.**"
        elif report.denied:
            verdict = f"**{report.denied} of {len(report.results)} flows denied.**"
        elif report.baselined:
            verdict = f"**No new denials; {report.baselined} of {len(report.results)} flows denied and baselined.**"
        else:
            verdict = f"**All {len(report.results)} flows allowed.**"
        out += [verdict, ""]
        out += [*counts_table(report), ""]
        flagged = [r for r in report.results if any(f.counts and f.severity is not Severity.INFO for f in r.findings)]
        if flagged:
            out += ["### Findings", "", "| flow | where | rule | law | what |", "|---|---|---|---|---|"]
            for result in flagged:
                out.extend(_row(result, f) for f in result.findings if f.counts and f.severity is not Severity.INFO)
            out.append("")
            fixes = [(r, f) for r in flagged for f in r.findings if f.counts and f.fix and f.severity is Severity.ERROR]
            if fixes:
                out += ["### Fixes", ""]
                for result, finding in fixes:
                    summary = f"<code>{escape(printable(result.flow.id))}</code>: {escape(printable(finding.rule))}"
                    out += [
                        f"<details><summary>{summary}</summary>",
                        "",
                        *markdown_fence(finding.fix or "", "yaml"),
                        "",
                        "</details>",
                        "",
                    ]
        waived = [(r, f) for r in report.results for f in r.findings if f.waiver is not None]
        if waived:
            out += ["### Waived", "", "| flow | rule | approver | DPIA | until | why |", "|---|---|---|---|---|---|"]
            for result, f in waived:
                w = f.waiver
                assert w is not None
                out.append(
                    f"| {code(result.flow.id)} | {cell(f.rule)} | {cell(w.approver)} | {cell(w.dpia)} "
                    f"| {w.expires.isoformat()} | {cell(w.justification)} |"
                )
            out.append("")
        problems = [w for w in report.waivers if w.severity is not None]
        if problems:
            out += ["### Waiver file", ""]
            out += [f"- ⚠️ {code(f'{w.waiver.file}:{w.waiver.line}', False)}: {cell(w.message)}" for w in problems]
            out.append("")
        if report.notices:
            out += ["### Baseline", ""]
            out += [f"- ⚠️ `{cell(n.file)}`: {cell(n.message)}" for n in report.notices]
            out.append("")
        if report.errors:
            out += ["### Input errors", ""]
            out += input_errors(report)
            out.append("")
        baselined = [(r, f) for r in report.results for f in r.findings if f.baselined]
        if baselined:
            # Accepted for now, not lawful: listed so that the debt stays visible.
            out += ["### Baselined (denied, accepted for now)", "", "| flow | where | rule | law | what |"]
            out.append("|---|---|---|---|---|")
            out.extend(_row(result, f) for result, f in baselined)
            out.append("")
        info = sum(1 for r in report.results for f in r.findings if f.counts and f.severity is Severity.INFO)
        if info:
            out += [f"_{info} info finding(s), such as missing retention periods, are in the full report._", ""]
        return "\n".join(out)


def _row(result: FlowResult, finding: Finding) -> str:
    flow = result.flow
    mark = _ICON[finding.severity]
    verdict = " (denied)" if result.verdict is Verdict.DENY and finding.severity is Severity.ERROR else ""
    return (
        f"| {mark} {code(flow.id)}{verdict} | {code(f'{flow.file}:{flow.line}')} | {cell(finding.rule)} "
        f"| {cell('; '.join(finding.legal_refs))} | {cell(finding.message)} |"
    )
