"""The words the formats share, in the language in use (checker.i18n, gettext domain `formats`).

A format writes its own words through `_()` and `ngettext()`; what it shows of a finding (message, fix, names of
ids, the law) it asks checker.messages.Texts for, so that a report is in one language from top to bottom. The keys
of the machine formats (JSON keys, SARIF properties, JUnit attributes) are not words: they stay English.
"""

from __future__ import annotations

from checker.i18n import Lang, _, current, ngettext
from checker.messages import Texts
from checker.model import Finding, Flow, Report, Severity, Waiver, WaiverStatus


def severity(level: Severity) -> str:
    """error, warning or info as the reader's language says it."""
    if level is Severity.ERROR:
        return _("error")
    if level is Severity.WARNING:
        return _("warning")
    return _("info")


def accepted(finding: Finding) -> str:
    """The severity, marked waived or baselined where a waiver or the baseline accepts the finding."""
    level = severity(finding.severity)
    if finding.waiver is not None:
        return _("waived {severity}").format(severity=level)
    if finding.baselined:
        return _("baselined {severity}").format(severity=level)
    return level


def waiver_status(status: WaiverStatus) -> str:
    """A waiver's status as a label (APPLIED, EXPIRED, ...)."""
    labels = {
        WaiverStatus.APPLIED: _("APPLIED"),
        WaiverStatus.UNBOUND: _("UNBOUND"),
        WaiverStatus.EXPIRED: _("EXPIRED"),
        WaiverStatus.STALE: _("STALE"),
        WaiverStatus.REFUSED: _("REFUSED"),
        WaiverStatus.UNMATCHED: _("UNMATCHED"),
    }
    return labels[status]


def waiver_accepted(waiver: Waiver) -> str:
    """The one phrase every report uses for a waiver, in the reader's language: until when, by whom, on which DPIA."""
    return _("accepted until {expires} by {approver} ({dpia})").format(
        expires=waiver.expires.isoformat(), approver=waiver.approver, dpia=waiver.dpia
    )


def laws(texts: Texts, finding: Finding) -> list[str]:
    """The provisions a finding cites, as the reader's language cites them."""
    if not finding.legal_sources:
        return list(finding.legal_refs)
    return [texts.law(source) for source in finding.legal_sources]


def name(texts: Texts, kind: str, value: object) -> str:
    """A readable name for an id of the flow; anything that is not an id (a wrong type in a flow) as it is."""
    return texts.name(kind, value) if isinstance(value, str) else str(value)


def flow_line(texts: Texts, flow: Flow) -> str:
    """Who sends what to whom, in which form and for which purpose, on one line."""
    doc = flow.document
    return _("{sender} -> {recipient}: {document}, {form}, for {purpose}").format(
        sender=name(texts, "partners", doc.get("from")),
        recipient=name(texts, "partners", doc.get("to")),
        document=name(texts, "documents", doc.get("document")),
        form=name(texts, "forms", doc.get("form")),
        purpose=name(texts, "purposes", doc.get("purpose")),
    )


def flows_checked(report: Report) -> str:
    """ "19 flows checked: 14 allowed, 5 denied": the start of every summary line."""
    count = len(report.results)
    checked = ngettext("{count} flow checked", "{count} flows checked", count).format(count=count)
    return _("{checked}: {allowed} allowed, {denied} denied").format(
        checked=checked, allowed=report.allowed, denied=report.denied
    )


def input_errors(count: int) -> str:
    """ "2 input errors"."""
    return ngettext("{count} input error", "{count} input errors", count).format(count=count)


def lang_tag() -> str:
    """The language in use as a BCP 47 tag, for SARIF's run.language and the like."""
    return "nl-NL" if current() is Lang.NL else "en-US"
