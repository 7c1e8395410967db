"""The text report: made for a person reading a CI log, grouped by file."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field

import click

from checker.format import words
from checker.i18n import _, ngettext
from checker.messages import Texts
from checker.model import Finding, FlowResult, Report, Severity, Verdict, WaiverResult, WaiverStatus
from checker.sanitize import printable, printable_lines

_WIDTH = 100
_INDENT = " " * 8


@dataclass(frozen=True)
class _Words:
    """The format's own words in the language in use, looked up once per report rather than once per flow."""

    deny: str
    allow: str
    baselined: str
    line: str
    law: str
    fix: str
    flow_lines: dict[tuple[str, ...], str] = field(default_factory=dict)

    @classmethod
    def now(cls) -> _Words:
        deny, allow = _("DENY"), _("ALLOW")
        # DENY and ALLOW padded to one width, so that the flow ids line up in every language.
        width = max(len(deny), len(allow))
        return cls(deny.ljust(width), allow.ljust(width), _("BASELINED"), _("(line {line})"), _("law:"), _("fix:"))


class TextFormat:
    """Denied flows with their findings, law and fix; allowed flows on one line each; a summary last.

    Every value from the input or the engine goes through printable(): a CI log must show it, not obey it. Its own
    words are in the language in use, what it shows of a finding comes from checker.messages.Texts.
    """

    def __init__(self, color: bool = False) -> None:
        self._color = color

    def render(self, report: Report) -> str:
        """The whole report, ending in the one-line summary."""
        texts = Texts.of(report)
        said = _Words.now()
        lines: list[str] = []
        if report.engine is not None:
            lines.append(self._pack(report))
            lines.append("")
        for file, results, errors in report.by_file():
            lines.append(self._style(printable(file), bold=True))
            for error in errors:
                where = _("line {line}: ").format(line=error.line) if error.line else ""
                label = self._style(_("INPUT"), fg="yellow", bold=True)
                lines.append(f"  {label} {where}{printable(error.message)}")
            for result in results:
                lines.extend(self._result(texts, said, result))
            lines.append("")
        if report.waivers:
            lines.append(self._style(_("waivers"), bold=True))
            width = max(9, *(len(words.waiver_status(status)) for status in WaiverStatus))
            lines.extend(self._waiver(w, width) for w in report.waivers)
            lines.append("")
        if report.notices:
            lines.append(self._style(_("baseline"), bold=True))
            warning = _("WARNING")
            label = self._style(warning, fg="yellow", bold=True) + " " * max(2, 9 - len(warning))
            for notice in report.notices:
                where = f"{notice.file}:{notice.line}" if notice.line else notice.file
                lines.append(f"  {label} {where}: {notice.describe(_)}")
            lines.append("")
        lines.append(self._summary(report))
        return "\n".join(lines) + "\n"

    def _result(self, texts: Texts, said: _Words, result: FlowResult) -> Iterator[str]:
        flow = result.flow
        if result.baselined:
            # Denied, accepted for now by the baseline: visible as such, not as ALLOW.
            label = self._style(said.baselined, fg="magenta", bold=True)
        elif result.verdict is Verdict.DENY:
            label = self._style(said.deny, fg="red", bold=True)
        else:
            label = self._style(said.allow, fg="green", bold=True)
        yield f"  {label} {printable(flow.id)}  " + said.line.format(line=flow.line)
        if result.verdict is Verdict.DENY or result.findings:
            doc = flow.document
            # Many flows share a line (the same partners, document and purpose): rendered once per report.
            key = tuple(repr(doc.get(k)) for k in ("from", "to", "document", "form", "purpose"))
            if key not in said.flow_lines:
                said.flow_lines[key] = printable(words.flow_line(texts, flow))
            yield _INDENT + said.flow_lines[key]
        for finding in result.findings:
            yield from self._finding(texts, said, finding)

    def _finding(self, texts: Texts, said: _Words, finding: Finding) -> Iterator[str]:
        colour = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}[finding.severity]
        label = self._style(words.accepted(finding), fg="magenta" if not finding.counts else colour)
        yield f"{_INDENT}{label} {self._style(printable(finding.rule), bold=True)}"
        inner = _INDENT + "  "
        if finding.waiver is not None:
            w = finding.waiver
            accepted = f"{words.waiver_accepted(w)}: {w.justification}"
            yield from textwrap.wrap(
                printable(accepted), _WIDTH, initial_indent=inner, subsequent_indent=inner, break_on_hyphens=False
            )
        yield from textwrap.wrap(
            printable(texts.message(finding)),
            _WIDTH,
            initial_indent=inner,
            subsequent_indent=inner,
            break_on_hyphens=False,
        )
        law = said.law + " "
        # Continuation lines and links start under the first citation, however long the label is.
        hanging = inner + " " * len(law)
        yield from textwrap.wrap(
            printable(law + "; ".join(_cited(texts, finding))),
            _WIDTH,
            initial_indent=inner,
            subsequent_indent=hanging,
            break_on_hyphens=False,
        )
        # One link a line, unwrapped, so that a terminal can open it.
        yield from (
            f"{hanging}{printable(url)}" for url in dict.fromkeys(s.url for s in finding.legal_sources if s.url)
        )
        fix = texts.fix(finding)
        if fix:
            yield inner + said.fix
            for line in printable_lines(fix):
                yield f"{inner}  {line}"

    def _waiver(self, result: WaiverResult, width: int) -> str:
        colour = "magenta" if result.status is WaiverStatus.APPLIED else "yellow"
        label = self._style(words.waiver_status(result.status).ljust(width), fg=colour, bold=True)
        where = f"{printable(result.waiver.file)}:{result.waiver.line}"
        return f"  {label} {where}: {printable(result.describe(_))}"

    def _pack(self, report: Report) -> str:
        # A pack swapped in by KETENCHECK_POLICIES or --policies must be visible in every report.
        assert report.engine is not None
        engine = report.engine
        line = _("policy pack: {pack} ({engine} {version})").format(
            pack=engine.pack_in_use, engine=engine.name, version=engine.version
        )
        return self._style(printable(line), fg="cyan")

    def _summary(self, report: Report) -> str:
        text = words.flows_checked(report)
        warnings = report.count(Severity.WARNING)
        if warnings:
            text += ", " + ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings)
        if report.baselined:
            text += ", " + _("{count} baselined (denied, accepted for now)").format(count=report.baselined)
        if report.waived:
            text += ", " + _("{count} waived").format(count=report.waived)
        if report.errors:
            text += "; " + _("{input_errors} (not checked)").format(input_errors=words.input_errors(len(report.errors)))
        return self._style(text, bold=True)

    def _style(self, text: str, fg: str | None = None, bold: bool = False) -> str:
        return click.style(text, fg=fg, bold=bold) if self._color else text


def _cited(texts: Texts, finding: Finding) -> list[str]:
    if not finding.legal_sources:
        return list(finding.legal_refs)
    return [
        texts.law(s) if s.verified else _("{law} (text not verified)").format(law=texts.law(s))
        for s in finding.legal_sources
    ]
