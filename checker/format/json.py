"""The JSON report of docs/contract.md: one document on standard output, for tools and pipelines."""

from __future__ import annotations

from typing import Any

import orjson

from checker.model import Finding, FlowResult, InvalidInput, Report, Waiver, WaiverResult
from checker.sanitize import json_safe


class JsonFormat:
    """docs/contract.md, field by field; extensions are new keys only (engine, waivers, waived)."""

    def render(self, report: Report) -> str:
        """The report as indented JSON with a trailing newline."""
        # orjson writes the same indented JSON as json.dumps(indent=2, ensure_ascii=False), twenty times faster.
        # json_safe: orjson escapes C0 controls but passes C1 and U+2028 through, which a terminal may obey.
        return json_safe(orjson.dumps(report_document(report), option=orjson.OPT_INDENT_2).decode("utf-8")) + "\n"


def report_document(report: Report) -> dict[str, Any]:
    """The report as the JSON-ready structure of docs/contract.md."""
    document: dict[str, Any] = {
        "version": 1,
        "summary": {
            "flows": len(report.results),
            "allowed": report.allowed,
            "denied": report.denied,
            "errors": len(report.errors),
            "waived": report.waived,
            "baselined": report.baselined,
        },
        "flows": [_flow(result) for result in report.results],
        "errors": [_error(error) for error in report.errors],
        "waivers": [_waiver_result(w) for w in report.waivers],
    }
    if report.notices:
        document["notices"] = [
            {"file": n.file, "line": n.line, "kind": n.kind, "severity": n.severity.value, "message": n.message}
            for n in report.notices
        ]
    if report.engine is not None:
        document["engine"] = {
            "name": report.engine.name,
            "version": report.engine.version,
            "pack": dict(report.engine.pack),
            "revision": report.engine.revision,
            "source": report.engine.source,
        }
    return document


def _flow(result: FlowResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": result.flow.id,
        "file": result.flow.file,
        "line": result.flow.line,
        "verdict": result.verdict.value,
    }
    if result.baselined:
        # Still deny: a baselined flow is a denied flow accepted for now, not a lawful one.
        out["baselined"] = True
    out["findings"] = [_finding(f) for f in result.findings]
    return out


def _finding(finding: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
    }
    # The finding as data (docs/contract.md): which sentence `message` is and what it says, for a program that words
    # it itself; absent for a rule of a pack that sends text only.
    if finding.message_id:
        out["message_id"] = finding.message_id
        out["arguments"] = dict(finding.arguments)
    out |= {
        "legal_refs": list(finding.legal_refs),
        "legal_sources": [
            {"label": s.label, "url": s.url, "valid_from": s.valid_from, "verified": s.verified}
            for s in finding.legal_sources
        ],
    }
    if finding.fix is not None:
        out["fix"] = finding.fix
        if finding.fix_id is not None:
            out["fix_id"] = finding.fix_id
            out["fix_arguments"] = dict(finding.fix_arguments)
    # What a waiver or baseline entry binds to (ketencheck waiver add writes them from here too).
    if finding.digest:
        out["subject"] = dict(finding.subject)
        out["digest"] = finding.digest
    if not finding.waivable:
        out["waivable"] = False
    if finding.waiver is not None:
        out["waived"] = _waiver(finding.waiver)
    if finding.baselined:
        out["baselined"] = True
    return out


def _waiver(waiver: Waiver) -> dict[str, Any]:
    return {
        "justification": waiver.justification,
        "approver": waiver.approver,
        "dpia": waiver.dpia,
        "expires": waiver.expires.isoformat(),
        "file": waiver.file,
        "line": waiver.line,
    }


def _waiver_result(result: WaiverResult) -> dict[str, Any]:
    waiver = result.waiver
    return {
        "flow": waiver.flow,
        "rule": waiver.rule,
        "status": result.status.value,
        "message": result.message,
        **_waiver(waiver),
    }


def _error(error: InvalidInput) -> dict[str, Any]:
    return {"file": error.file, "line": error.line, "message": error.message}
