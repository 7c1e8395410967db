"""`ketencheck explain`: why one flow got its verdict, and the smallest change that makes it lawful."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

from checker.model import Finding, FlowId, Report
from checker.sanitize import printable, printable_lines
from checker.snippet import flow_yaml


def explain_document(report: Report, flow_id: FlowId) -> dict[str, Any]:
    """The explanation as plain data: the flow, its verdict, every rule with what it found, rows, alternatives."""
    result = next(r for r in report.results if r.flow.id == flow_id)
    flow = result.flow
    by_rule: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    explanation: Mapping[str, Any] = report.explanation or {}
    rules = report.rules
    return {
        "flow": flow.id,
        "file": flow.file,
        "line": flow.line,
        "verdict": result.verdict.value,
        "rules": [
            {
                "rule": rule.name,
                "scope": rule.scope,
                "title": rule.title,
                "severity": rule.severity.value,
                "fired": rule.name in by_rule,
                # As `check --waivers` would see it: a rule whose every finding is waived does not deny.
                "waived": rule.name in by_rule and all(f.waiver is not None for f in by_rule[rule.name]),
                "messages": [f.message for f in by_rule.get(rule.name, [])],
            }
            for rule in rules
        ],
        "rows": list(explanation.get("rows", [])),
        "alternatives": (alternatives := list(explanation.get("alternatives", []))),
        "fields_note": [_fields_note(flow.document, a) for a in alternatives],
    }


UPPER_BOUND = "at most these fields; keep only what the task needs"
KEPT = "the fields the flow lists that the row admits"


def _fields_note(flow: Mapping[str, Any], alternative: Mapping[str, Any]) -> str | None:
    # The policies keep the flow's own fields where the row admits any (the intersection) and fall back on every
    # field the row admits: that is an upper bound, never the recommended extract (issue 16, item 9).
    if alternative.get("form") != "extract":
        return None
    listed = set(flow.get("fields") or [])
    if listed and set(alternative.get("fields", [])) <= listed:
        return KEPT
    return UPPER_BOUND


def render_explanation(document: Mapping[str, Any]) -> str:
    """The explanation for a person: rules as a checklist, rows, and the alternative as YAML to paste."""
    where = printable(f"{document['flow']}  ({document['file']}, line {document['line']})")
    lines = [f"flow {where}: {document['verdict']}", ""]
    rules = document["rules"]
    fired = sum(1 for r in rules if r["fired"])
    lines.append(f"rules evaluated: {len(rules)}, fired: {fired}")
    width = max((len(r["rule"]) for r in rules), default=0)
    for rule in rules:
        mark = "WAIVED" if rule.get("waived") else "FIRED " if rule["fired"] else "pass  "
        severity = rule["severity"] if rule["fired"] else ""
        lines.append(f"  {mark} {severity:7} {rule['rule']:{width}}  {rule['title']}  [{rule['scope']}]")
        for message in rule["messages"]:
            lines.extend(
                textwrap.wrap(
                    printable(message), 100, initial_indent=" " * 17, subsequent_indent=" " * 17, break_on_hyphens=False
                )
            )
    lines.append("")
    rows = document["rows"]
    if rows:
        lines.append("matrix rows consulted:")
        for row in rows:
            what = f"extract of [{', '.join(row['fields'])}]" if row["form"] == "extract" else "integral"
            channel = f", channel {row['channel']}" if "channel" in row else ""
            mark = "" if row["matches_purpose"] else " (another purpose)"
            lines.append(f"  {row['id']}: {row['purpose']}{mark}: {what}; bases [{', '.join(row['bases'])}]{channel}")
    else:
        lines.append("matrix rows consulted: none; no row lets this recipient receive this document")
    lines.append("")
    alternatives = document["alternatives"]
    if not alternatives:
        lines.append("lawful alternative: none; the flow cannot be made lawful by changing it")
    else:
        title = "lawful alternative" + ("s (one per lawful purpose)" if len(alternatives) > 1 else "")
        lines.append(f"{title}:")
        notes = document.get("fields_note") or [None] * len(alternatives)
        for alternative, note in zip(alternatives, notes, strict=True):
            # A YAML comment: the alternative stays pasteable as it is printed.
            lines.extend(
                f"{line}  # {note}" if note and line.lstrip().startswith("fields:") else line
                for line in printable_lines(flow_yaml(alternative, indent="  ").rstrip("\n"))
            )
    return "\n".join(lines) + "\n"


__all__ = ["explain_document", "render_explanation"]
