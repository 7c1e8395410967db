"""GitHub Actions workflow commands: each finding becomes an annotation on the flow's line in the pull request."""

from __future__ import annotations

from checker.format import words
from checker.i18n import _
from checker.messages import Texts
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
        texts = Texts.of(report)
        lines: list[str] = []
        for result in report.results:
            flow = result.flow
            for f in result.findings:
                accepted = _("waived: ") if f.waiver else _("baselined: ") if f.baselined else ""
                command = "notice" if accepted else _COMMAND[f.severity]
                title = printable(f"{accepted}{f.rule} ({flow.id})")
                body = printable(texts.message(f)) + "\n" + _("law:") + " " + printable("; ".join(words.laws(texts, f)))
                fix = texts.fix(f)
                if fix:
                    body += "\n" + _("fix:") + "\n" + "\n".join(printable_lines(fix))
                if f.waiver:
                    w = f.waiver
                    body += "\n" + printable(words.waiver_accepted(w))
                elif f.baselined:
                    body += "\n" + _("recorded in the baseline: accepted for now, still to be fixed")
                where = f"file={_property(printable(flow.file))},line={flow.line},col={flow.column}"
                lines.append(f"::{command} {where},title={_property(title)}::{_data(body)}")
        for error in report.errors:
            where = f"file={_property(printable(error.file))}" + (f",line={error.line}" if error.line else "")
            title = _property(_("input error"))
            lines.append(f"::error {where},title={title}::{_data(printable(error.message))}")
        for waiver in report.waivers:
            if waiver.severity is not None:
                where = f"file={_property(printable(waiver.waiver.file))},line={waiver.waiver.line}"
                message = printable(waiver.describe(_))
                title = _property(_("waiver {status}").format(status=words.waiver_status(waiver.status).lower()))
                lines.append(f"::warning {where},title={title}::{_data(message)}")
        for notice in report.notices:
            where = f"file={_property(printable(notice.file))}" + (f",line={notice.line}" if notice.line else "")
            message = printable(notice.describe(_))
            lines.append(f"::warning {where},title={_property(notice.kind)}::{_data(message)}")
        summary = words.flows_checked(report) + ", "
        if report.baselined:
            summary += _("{count} baselined").format(count=report.baselined) + ", "
        lines.append(f"ketencheck: {summary}{words.input_errors(len(report.errors))}")
        return "\n".join(lines) + "\n"
