"""The text report: made for a person reading a CI log, grouped by file."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from itertools import groupby

import click

from checker.model import Finding, FlowResult, InvalidInput, Report, Severity, Verdict

_WIDTH = 100
_INDENT = " " * 8


class TextFormat:
    """Denied flows with their findings, law and fix; allowed flows on one line each; a summary last."""

    def __init__(self, color: bool = False) -> None:
        self._color = color

    def render(self, report: Report) -> str:
        """The whole report, ending in the one-line summary."""
        lines: list[str] = []
        errors_by_file: dict[str, list[InvalidInput]] = {}
        for error in report.errors:
            errors_by_file.setdefault(error.file, []).append(error)
        results_by_file = {file: list(results) for file, results in groupby(report.results, key=lambda r: r.flow.file)}
        for file in sorted(set(results_by_file) | set(errors_by_file)):
            lines.append(self._style(file, bold=True))
            for error in errors_by_file.get(file, []):
                where = f"line {error.line}: " if error.line else ""
                lines.append(f"  {self._style('INPUT', fg='yellow', bold=True)} {where}{error.message}")
            for result in results_by_file.get(file, []):
                lines.extend(self._result(result))
            lines.append("")
        lines.append(self._summary(report))
        return "\n".join(lines) + "\n"

    def _result(self, result: FlowResult) -> Iterator[str]:
        flow = result.flow
        doc = flow.document
        if result.verdict is Verdict.DENY:
            label = self._style("DENY ", fg="red", bold=True)
        else:
            label = self._style("ALLOW", fg="green", bold=True)
        yield f"  {label} {flow.id}  (line {flow.line})"
        if result.verdict is Verdict.DENY or result.findings:
            what = f"{doc.get('from')} -> {doc.get('to')}: {doc.get('document')}, {doc.get('form')}"
            yield f"{_INDENT}{what}, for {doc.get('purpose')}"
        for finding in result.findings:
            yield from self._finding(finding)

    def _finding(self, finding: Finding) -> Iterator[str]:
        colour = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}[finding.severity]
        yield f"{_INDENT}{self._style(finding.severity.value, fg=colour)} {self._style(finding.rule, bold=True)}"
        inner = _INDENT + "  "
        yield from textwrap.wrap(finding.message, _WIDTH, initial_indent=inner, subsequent_indent=inner)
        yield from textwrap.wrap(
            "law: " + "; ".join(finding.legal_refs), _WIDTH, initial_indent=inner, subsequent_indent=inner + "     "
        )
        if finding.fix:
            yield f"{inner}fix:"
            for line in finding.fix.splitlines():
                yield f"{inner}  {line}"

    def _summary(self, report: Report) -> str:
        flows = len(report.results)
        text = f"{flows} flow{'s' if flows != 1 else ''} checked: {report.allowed} allowed, {report.denied} denied"
        warnings = sum(1 for r in report.results for f in r.findings if f.severity is Severity.WARNING)
        if warnings:
            text += f", {warnings} warning{'s' if warnings != 1 else ''}"
        if report.errors:
            count = len(report.errors)
            text += f"; {count} input error{'s' if count != 1 else ''} (not checked)"
        return self._style(text, bold=True)

    def _style(self, text: str, fg: str | None = None, bold: bool = False) -> str:
        return click.style(text, fg=fg, bold=bold) if self._color else text
