"""A Markdown summary fit for a pull-request comment: the verdict first, then what to fix and why.

Everything from the input or the engine is escaped for where it lands (checker.sanitize): table cells and list
items, code spans, fenced fixes. A flow file must not be able to write headings, @mentions or images into a
comment that reviewers trust.
"""

from __future__ import annotations

from html import escape

from checker.format import words
from checker.i18n import _, ngettext
from checker.messages import Texts
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
    heads = (_("flows"), _("allowed"), _("denied"), _("baselined"), _("warnings"), _("waived"), _("input errors"))
    return [
        "| " + " | ".join(heads) + " |",
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
        texts = Texts.of(report)
        out = ["## ketencheck", ""]
        total = len(report.results)
        if report.errors:
            count = len(report.errors)
            verdict = ngettext(
                "{count} input error(s): not everything could be checked.",
                "{count} input error(s): not everything could be checked.",
                count,
            ).format(count=count)
        elif report.denied:
            verdict = _("{denied} of {total} flows denied.").format(denied=report.denied, total=total)
        elif report.baselined:
            verdict = _("No new denials; {baselined} of {total} flows denied and baselined.").format(
                baselined=report.baselined, total=total
            )
        else:
            verdict = _("All {total} flows allowed.").format(total=total)
        out += [f"**{verdict}**", ""]
        out += [*counts_table(report), ""]
        flagged = [r for r in report.results if any(f.counts and f.severity is not Severity.INFO for f in r.findings)]
        if flagged:
            out += ["### " + _("Findings"), "", _findings_head(), "|---|---|---|---|---|"]
            for result in flagged:
                out.extend(
                    _row(texts, result, f) for f in result.findings if f.counts and f.severity is not Severity.INFO
                )
            out.append("")
            fixes = [(r, f) for r in flagged for f in r.findings if f.counts and f.fix and f.severity is Severity.ERROR]
            if fixes:
                out += ["### " + _("Fixes"), ""]
                for result, finding in fixes:
                    summary = f"<code>{escape(printable(result.flow.id))}</code>: {escape(printable(finding.rule))}"
                    out += [
                        f"<details><summary>{summary}</summary>",
                        "",
                        *markdown_fence(texts.fix(finding) or "", "yaml"),
                        "",
                        "</details>",
                        "",
                    ]
        waived = [(r, f) for r in report.results for f in r.findings if f.waiver is not None]
        if waived:
            heads = (_("flow"), _("rule"), _("approver"), _("DPIA"), _("until"), _("why"))
            out += ["### " + _("Waived"), "", "| " + " | ".join(heads) + " |", "|---|---|---|---|---|---|"]
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
            out += ["### " + _("Waiver file"), ""]
            out += [f"- ⚠️ {code(f'{w.waiver.file}:{w.waiver.line}', False)}: {cell(w.describe(_))}" for w in problems]
            out.append("")
        if report.notices:
            out += ["### " + _("Baseline"), ""]
            out += [f"- ⚠️ `{cell(n.file)}`: {cell(n.describe(_))}" for n in report.notices]
            out.append("")
        if report.errors:
            out += ["### " + _("Input errors"), ""]
            out += input_errors(report)
            out.append("")
        baselined = [(r, f) for r in report.results for f in r.findings if f.baselined]
        if baselined:
            # Accepted for now, not lawful: listed so that the debt stays visible.
            out += ["### " + _("Baselined (denied, accepted for now)"), "", _findings_head()]
            out.append("|---|---|---|---|---|")
            out.extend(_row(texts, result, f) for result, f in baselined)
            out.append("")
        info = sum(1 for r in report.results for f in r.findings if f.counts and f.severity is Severity.INFO)
        if info:
            # The English says "(s)" whatever the count, as before; ngettext gives the other languages their plurals.
            more = ngettext(
                "{count} info finding(s), such as missing retention periods, are in the full report.",
                "{count} info finding(s), such as missing retention periods, are in the full report.",
                info,
            )
            out += [f"_{more.format(count=info)}_", ""]
        return "\n".join(out)


def _findings_head() -> str:
    return "| " + " | ".join((_("flow"), _("where"), _("rule"), _("law"), _("what"))) + " |"


def _row(texts: Texts, result: FlowResult, finding: Finding) -> str:
    flow = result.flow
    mark = _ICON[finding.severity]
    denied = result.verdict is Verdict.DENY and finding.severity is Severity.ERROR
    verdict = " " + _("(denied)") if denied else ""
    return (
        f"| {mark} {code(flow.id)}{verdict} | {code(f'{flow.file}:{flow.line}')} | {cell(finding.rule)} "
        f"| {cell('; '.join(words.laws(texts, finding)))} | {cell(texts.message(finding))} |"
    )
