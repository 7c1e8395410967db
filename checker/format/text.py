"""The text report: made for a person reading a CI log, grouped by file."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

import click

from checker.model import Finding, FlowResult, Report, Severity, Verdict, WaiverResult, WaiverStatus
from checker.sanitize import printable, printable_lines

_WIDTH = 100
_INDENT = " " * 8


class TextFormat:
    """Denied flows with their findings, law and fix; allowed flows on one line each; a summary last.

    Every value from the input or the engine goes through printable(): a CI log must show it, not obey it.
    """

    def __init__(self, color: bool = False) -> None:
        self._color = color

    def render(self, report: Report) -> str:
        """The whole report, ending in the one-line summary."""
        lines: list[str] = []
        if report.engine is not None:
            lines.append(self._pack(report))
            lines.append("")
        for file, results, errors in report.by_file():
            lines.append(self._style(printable(file), bold=True))
            for error in errors:
                where = f"line {error.line}: " if error.line else ""
                lines.append(f"  {self._style('INPUT', fg='yellow', bold=True)} {where}{printable(error.message)}")
            for result in results:
                lines.extend(self._result(result))
            lines.append("")
        if report.waivers:
            lines.append(self._style("waivers", bold=True))
            lines.extend(self._waiver(w) for w in report.waivers)
            lines.append("")
        if report.notices:
            lines.append(self._style("baseline", bold=True))
            for notice in report.notices:
                where = f"{notice.file}:{notice.line}" if notice.line else notice.file
                lines.append(f"  {self._style('WARNING', fg='yellow', bold=True)}   {where}: {notice.message}")
            lines.append("")
        lines.append(self._summary(report))
        return "\n".join(lines) + "\n"

    def _result(self, result: FlowResult) -> Iterator[str]:
        flow = result.flow
        doc = flow.document
        if result.baselined:
            # Denied, accepted for now by the baseline: visible as such, not as ALLOW.
            label = self._style("BASELINED", fg="magenta", bold=True)
        elif result.verdict is Verdict.DENY:
            label = self._style("DENY ", fg="red", bold=True)
        else:
            label = self._style("ALLOW", fg="green", bold=True)
        yield f"  {label} {printable(flow.id)}  (line {flow.line})"
        if result.verdict is Verdict.DENY or result.findings:
            what = f"{doc.get('from')} -> {doc.get('to')}: {doc.get('document')}, {doc.get('form')}"
            yield f"{_INDENT}{printable(what)}, for {printable(doc.get('purpose'))}"
        for finding in result.findings:
            yield from self._finding(finding)

    def _finding(self, finding: Finding) -> Iterator[str]:
        colour = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}[finding.severity]
        label = self._style(finding.severity.value, fg=colour)
        if finding.waiver is not None:
            label = self._style(f"waived {finding.severity.value}", fg="magenta")
        elif finding.baselined:
            label = self._style(f"baselined {finding.severity.value}", fg="magenta")
        yield f"{_INDENT}{label} {self._style(printable(finding.rule), bold=True)}"
        inner = _INDENT + "  "
        if finding.waiver is not None:
            w = finding.waiver
            accepted = f"{w.accepted}: {w.justification}"
            yield from textwrap.wrap(
                printable(accepted), _WIDTH, initial_indent=inner, subsequent_indent=inner, break_on_hyphens=False
            )
        yield from textwrap.wrap(
            printable(finding.message), _WIDTH, initial_indent=inner, subsequent_indent=inner, break_on_hyphens=False
        )
        yield from textwrap.wrap(
            printable("law: " + "; ".join(_cited(finding))),
            _WIDTH,
            initial_indent=inner,
            subsequent_indent=inner + "     ",
            break_on_hyphens=False,
        )
        # One link a line, unwrapped, so that a terminal can open it.
        yield from (
            f"{inner}     {printable(url)}" for url in dict.fromkeys(s.url for s in finding.legal_sources if s.url)
        )
        if finding.fix:
            yield f"{inner}fix:"
            for line in printable_lines(finding.fix):
                yield f"{inner}  {line}"

    def _waiver(self, result: WaiverResult) -> str:
        colour = "magenta" if result.status is WaiverStatus.APPLIED else "yellow"
        label = self._style(f"{result.status.value.upper():9}", fg=colour, bold=True)
        return f"  {label} {printable(result.waiver.file)}:{result.waiver.line}: {printable(result.message)}"

    def _pack(self, report: Report) -> str:
        # A pack swapped in by KETENCHECK_POLICIES or --policies must be visible in every report.
        assert report.engine is not None
        engine = report.engine
        return self._style(printable(f"policy pack: {engine.pack_in_use} ({engine.name} {engine.version})"), fg="cyan")

    def _summary(self, report: Report) -> str:
        flows = len(report.results)
        text = f"{flows} flow{'s' if flows != 1 else ''} checked: {report.allowed} allowed, {report.denied} denied"
        warnings = report.count(Severity.WARNING)
        if warnings:
            text += f", {warnings} warning{'s' if warnings != 1 else ''}"
        if report.baselined:
            text += f", {report.baselined} baselined (denied, accepted for now)"
        if report.waived:
            text += f", {report.waived} waived"
        if report.errors:
            count = len(report.errors)
            text += f"; {count} input error{'s' if count != 1 else ''} (not checked)"
        return self._style(text, bold=True)

    def _style(self, text: str, fg: str | None = None, bold: bool = False) -> str:
        return click.style(text, fg=fg, bold=bold) if self._color else text


def _cited(finding: Finding) -> list[str]:
    if not finding.legal_sources:
        return list(finding.legal_refs)
    return [s.label + ("" if s.verified else " (text not verified)") for s in finding.legal_sources]
