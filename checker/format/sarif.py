"""SARIF 2.1.0 for code scanning: one run, every rule with its law, results at the flow's file, line and column.

Waived and baselined findings are results with an accepted external suppression, so code scanning shows them
as dismissed (with the waiver's justification, or as recorded in the baseline) instead of losing them.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from checker import __version__
from checker.model import Finding, FlowResult, InvalidInput, LegalSource, Report, RuleInfo, Severity, WaiverResult
from checker.sanitize import json_safe

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


class SarifFormat:
    """The report as a SARIF log; input errors and waiver problems are tool execution notifications."""

    def render(self, report: Report) -> str:
        """The SARIF log as indented JSON with a trailing newline."""
        return json_safe(json.dumps(sarif_log(report), indent=2, ensure_ascii=False)) + "\n"


def sarif_log(report: Report) -> dict[str, Any]:
    """The whole log: one run of ketencheck."""
    rules = _rules(report)
    index = {rule.name: i for i, rule in enumerate(rules)}
    driver: dict[str, Any] = {
        "name": "ketencheck",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": "https://www.openpolicyagent.org/",
        "rules": [_rule(rule) for rule in rules],
    }
    if report.engine is not None:
        pack = report.engine.pack
        driver["properties"] = {
            "engine": report.engine.name,
            "opaVersion": report.engine.version,
            "policyPack": f"{pack.get('name', '')} {pack.get('version', '')}".strip(),
            "policyRevision": report.engine.revision,
            "policySource": report.engine.source,
        }
    notifications = (
        [_input_error(e) for e in report.errors]
        + [_waiver_notification(w) for w in report.waivers if w.severity is not None]
        + [
            {
                "level": "warning",
                "message": {"text": n.message},
                "locations": [_location(n.file, n.line)],
                "descriptor": {"id": n.kind},
            }
            for n in report.notices
        ]
    )
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [{"executionSuccessful": not report.errors, "toolExecutionNotifications": notifications}],
        "columnKind": "unicodeCodePoints",
        "results": [_result(r, f, index[f.rule]) for r in report.results for f in r.findings],
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _rules(report: Report) -> list[RuleInfo]:
    # Every rule of the pack where the CLI supplied them; any rule that fired is described in any case.
    rules = {rule.name: rule for rule in report.rules}
    for result in report.results:
        for f in result.findings:
            if f.rule not in rules:
                rules[f.rule] = RuleInfo(
                    f.rule,
                    "flow",
                    f.title or f.rule,
                    f.title or f.rule,
                    f.severity,
                    f.legal_refs,
                    legal_sources=f.legal_sources,
                )
    return [rules[name] for name in sorted(rules)]


def _rule(rule: RuleInfo) -> dict[str, Any]:
    law = "; ".join(rule.legal_refs)
    out: dict[str, Any] = {
        "id": rule.name,
        # SARIF wants a readable PascalCase name that differs from the opaque id: the title gives one.
        "name": "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", rule.title)),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description},
        "help": {
            "text": f"{rule.description}\nLegal references: {law}",
            "markdown": f"{rule.description}\n\n**Legal references:** {law}",
        },
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": ["privacy", "avg", rule.scope], "legalReferences": list(rule.legal_refs)},
    }
    if rule.legal_sources:
        out["properties"]["legalSources"] = [_source(s) for s in rule.legal_sources]
    # The official text of the first reference of the run's date, where there is one; else the rule's own source.
    links = [s.url for s in rule.legal_sources if s.url] + [url for url, _ in rule.resources]
    if links:
        out["helpUri"] = links[0]
    return out


def _source(source: LegalSource) -> dict[str, Any]:
    return {"label": source.label, "url": source.url, "valid_from": source.valid_from, "verified": source.verified}


def _location(file: str, line: int | None, column: int = 1) -> dict[str, Any]:
    path = PurePath(file)
    artifact: dict[str, Any] = {"uri": quote(path.as_posix())}
    if not path.is_absolute():
        artifact["uriBaseId"] = "%SRCROOT%"
    else:
        artifact["uri"] = "file://" + quote(path.as_posix())
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if line:
        physical["region"] = {"startLine": line, "startColumn": column}
    return {"physicalLocation": physical}


def _result(result: FlowResult, finding: Finding, rule_index: int) -> dict[str, Any]:
    flow = result.flow
    text = f"{flow.id}: {finding.message}. Law: {'; '.join(finding.legal_refs)}."
    if finding.fix:
        text += f" Fix: {finding.fix}"
    out: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": text},
        "locations": [_location(flow.file, flow.line, flow.column)],
        # Stable across moves within the file: code scanning tracks the alert by flow and rule, as a baseline does.
        "partialFingerprints": {
            "ketencheck/flowRule/v1": hashlib.sha256(f"{flow.id}|{finding.rule}".encode()).hexdigest()
        },
        "properties": {"flow": flow.id},
    }
    if finding.legal_sources:
        out["properties"]["legal_sources"] = [_source(s) for s in finding.legal_sources]
    if finding.fix:
        out["properties"]["fix"] = finding.fix
    if finding.waiver is not None:
        w = finding.waiver
        accepted = f"approved by {w.approver}, {w.dpia}, until {w.expires.isoformat()}"
        out["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{w.justification} ({accepted})",
                "location": _location(w.file, w.line),
            }
        ]
    elif finding.baselined:
        # Accepted for now, not lawful: code scanning shows it as dismissed instead of losing it.
        out["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": "recorded in the baseline (--baseline): a known finding accepted for now, "
                "still to be fixed",
            }
        ]
        out["properties"]["baselined"] = True
    return out


def _input_error(error: InvalidInput) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": f"{error.file}: {error.message}" if error.file else error.message},
        "locations": [_location(error.file, error.line)] if error.file else [],
        "descriptor": {"id": error.kind},
    }


def _waiver_notification(result: WaiverResult) -> dict[str, Any]:
    return {
        "level": "warning",
        "message": {"text": result.message},
        "locations": [_location(result.waiver.file, result.waiver.line)],
        "descriptor": {"id": f"waiver_{result.status.value}"},
    }
