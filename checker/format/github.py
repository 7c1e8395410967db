"""GitHub Actions workflow commands: each finding becomes an annotation on the flow's line in the pull request."""

from __future__ import annotations

from checker.model import Report, Severity
from checker.sanitize import printable, printable_lines

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    # The escaping of @actions/core: the message may span lines; property values may not contain , or :.
    # Values from the input were made printable() before: only the line breaks ketencheck composed remain.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


class GithubFormat:
    """::error/::warning/::notice lines, then a one-line summary."""

    def render(self, report: Report) -> str:
        """One workflow command per finding, input error and waiver problem."""
        lines: list[str] = []
        for result in report.results:
            flow = result.flow
            for f in result.findings:
                accepted = "waived: " if f.waiver else "baselined: " if f.baselined else ""
                command = "notice" if accepted else _COMMAND[f.severity]
                title = printable(f"{accepted}{f.rule} ({flow.id})")
                body = printable(f.message) + "\nlaw: " + printable("; ".join(f.legal_refs))
                if f.fix:
                    body += "\nfix:\n" + "\n".join(printable_lines(f.fix))
                if f.waiver:
                    w = f.waiver
                    body += "\n" + printable(w.accepted)
                elif f.baselined:
                    body += "\nrecorded in the baseline: accepted for now, still to be fixed"
                where = f"file={_property(printable(flow.file))},line={flow.line},col={flow.column}"
                lines.append(f"::{command} {where},title={_property(title)}::{_data(body)}")
        for error in report.errors:
            where = f"file={_property(printable(error.file))}" + (f",line={error.line}" if error.line else "")
            lines.append(f"::error {where},title=input error::{_data(printable(error.message))}")
        for waiver in report.waivers:
            if waiver.severity is not None:
                where = f"file={_property(printable(waiver.waiver.file))},line={waiver.waiver.line}"
                message = printable(waiver.message)
                lines.append(f"::warning {where},title=waiver {waiver.status.value}::{_data(message)}")
        for notice in report.notices:
            where = f"file={_property(printable(notice.file))}" + (f",line={notice.line}" if notice.line else "")
            lines.append(f"::warning {where},title={_property(notice.kind)}::{_data(printable(notice.message))}")
        checked = len(report.results)
        lines.append(
            f"ketencheck: {checked} flow{'s' if checked != 1 else ''} checked: {report.allowed} allowed, "
            f"{report.denied} denied, {f'{report.baselined} baselined, ' if report.baselined else ''}"
            f"{len(report.errors)} input error{'s' if len(report.errors) != 1 else ''}"
        )
        return "\n".join(lines) + "\n"
