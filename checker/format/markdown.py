"""A Markdown summary fit for a pull-request comment: the verdict first, then what to fix and why."""

from __future__ import annotations

from checker.model import Finding, FlowResult, Report, Severity, Verdict

_ICON = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}


def cell(text: object) -> str:
    """A Markdown table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def counts_table(report: Report) -> list[str]:
    """The counts of a report as a one-row Markdown table (the PR comment and the audit share it)."""
    return [
        "| flows | allowed | denied | warnings | waived | input errors |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {len(report.results)} | {report.allowed} | {report.denied} | {report.count(Severity.WARNING)} "
        f"| {report.waived} | {len(report.errors)} |",
    ]


def input_errors(report: Report) -> list[str]:
    """One bullet per input error, with file and line."""
    return [f"- `{e.file}{f':{e.line}' if e.line else ''}`: {cell(e.message)}" for e in report.errors]


class MarkdownFormat:
    """Summary line and counts, a table of findings per denied or warned flow, fixes as YAML, then the rest."""

    def render(self, report: Report) -> str:
        """The whole comment, ending in a newline."""
        out = ["## ketencheck", ""]
        if report.errors:
            verdict = f"**{len(report.errors)} input error(s): not everything could be checked.**"
        elif report.denied:
            verdict = f"**{report.denied} of {len(report.results)} flows denied.**"
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
                    out += [
                        f"<details><summary><code>{result.flow.id}</code>: {finding.rule}</summary>",
                        "",
                        "```yaml",
                        finding.fix or "",
                        "```",
                        "",
                        "</details>",
                        "",
                    ]
        waived = [(r, f) for r in report.results for f in r.findings if not f.counts]
        if waived:
            out += ["### Waived", "", "| flow | rule | approver | DPIA | until | why |", "|---|---|---|---|---|---|"]
            for result, f in waived:
                w = f.waiver
                assert w is not None
                out.append(
                    f"| `{result.flow.id}` | {f.rule} | {cell(w.approver)} | {cell(w.dpia)} "
                    f"| {w.expires.isoformat()} | {cell(w.justification)} |"
                )
            out.append("")
        problems = [w for w in report.waivers if w.severity is not None]
        if problems:
            out += ["### Waiver file", ""]
            out += [f"- ⚠️ `{w.waiver.file}:{w.waiver.line}`: {cell(w.message)}" for w in problems]
            out.append("")
        if report.notices:
            out += ["### Baseline", ""]
            out += [f"- ⚠️ `{cell(n.file)}`: {cell(n.message)}" for n in report.notices]
            out.append("")
        if report.errors:
            out += ["### Input errors", ""]
            out += input_errors(report)
            out.append("")
        if report.baselined:
            out += [f"_{report.baselined} finding(s) recorded in the baseline are not shown._", ""]
        info = sum(1 for r in report.results for f in r.findings if f.counts and f.severity is Severity.INFO)
        if info:
            out += [f"_{info} info finding(s), such as missing retention periods, are in the full report._", ""]
        return "\n".join(out)


def _row(result: FlowResult, finding: Finding) -> str:
    flow = result.flow
    mark = _ICON[finding.severity]
    verdict = " (denied)" if result.verdict is Verdict.DENY and finding.severity is Severity.ERROR else ""
    return (
        f"| {mark} `{flow.id}`{verdict} | `{flow.file}:{flow.line}` | {finding.rule} "
        f"| {cell('; '.join(finding.legal_refs))} | {cell(finding.message)} |"
    )
