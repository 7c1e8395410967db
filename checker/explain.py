"""`ketencheck explain`: why one flow got its verdict, and the smallest change that makes it lawful.

It follows the language in use: Dutch names the ids by their names (catalogue/labels), the rules by their Dutch
titles and the findings in Dutch (checker.messages.Texts); the alternative stays YAML with ids, to paste.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

from checker.catalogue import shown
from checker.i18n import Lang, _
from checker.messages import Texts
from checker.model import Finding, FlowId, Report
from checker.sanitize import printable, printable_lines
from checker.snippet import flow_yaml


def explain_document(report: Report, flow_id: FlowId, texts: Texts | None = None) -> dict[str, Any]:
    """The explanation as plain data: the flow, its verdict, every rule with what it found, rows, alternatives.
    Keys and values a program reads (ids, verdict, severity) are the same in every language; titles, messages
    and notes are in the language of texts."""
    texts = texts or Texts.of(report)
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
                "title": texts.rule_title(rule),
                "severity": rule.severity.value,
                "fired": rule.name in by_rule,
                # As `check --waivers` would see it: a rule whose every finding is waived does not deny.
                "waived": rule.name in by_rule and all(f.waiver is not None for f in by_rule[rule.name]),
                "messages": [texts.message(f) for f in by_rule.get(rule.name, [])],
            }
            for rule in rules
        ],
        "rows": list(explanation.get("rows", [])),
        "alternatives": (alternatives := list(explanation.get("alternatives", []))),
        "fields_note": [_fields_note(flow.document, a) for a in alternatives],
    }


def _fields_note(flow: Mapping[str, Any], alternative: Mapping[str, Any]) -> str | None:
    # The policies keep the flow's own fields where the row admits any (the intersection) and fall back on every
    # field the row admits: that is an upper bound, never the recommended extract (issue 16, item 9).
    if alternative.get("form") != "extract":
        return None
    listed = set(flow.get("fields") or [])
    if listed and set(alternative.get("fields", [])) <= listed:
        return _("the fields the flow lists that the row admits")
    return _("at most these fields; keep only what the task needs")


def _marks() -> dict[str, str]:
    return {"waived": _("WAIVED"), "fired": _("FIRED"), "pass": _("pass")}


def render_explanation(document: Mapping[str, Any], texts: Texts | None = None) -> str:
    """The explanation for a person: rules as a checklist, rows, and the alternative as YAML to paste."""
    texts = texts or Texts()
    where = printable(
        _("{flow}  ({file}, line {line})").format(flow=document["flow"], file=document["file"], line=document["line"])
    )
    verdicts = {"allow": _("allow"), "deny": _("deny")}
    lines = [_("flow {where}: {verdict}").format(where=where, verdict=verdicts.get(document["verdict"], "")), ""]
    rules = document["rules"]
    fired = sum(1 for r in rules if r["fired"])
    lines.append(_("rules evaluated: {count}, fired: {fired}").format(count=len(rules), fired=fired))
    width = max((len(r["rule"]) for r in rules), default=0)
    marks = _marks()
    # The columns are as wide as the longest word of the language: English as it always was (6 and 7).
    mark_width = max(len(m) for m in marks.values())
    severities = {s: _severity(texts, s) for s in ("error", "warning", "info")}
    severity_width = max(len(s) for s in severities.values())
    scopes = {"flow": _("[flow]"), "chain": _("[chain]")}
    for rule in rules:
        mark = marks["waived"] if rule.get("waived") else marks["fired"] if rule["fired"] else marks["pass"]
        severity = severities.get(rule["severity"], rule["severity"]) if rule["fired"] else ""
        lines.append(
            f"  {mark:{mark_width}} {severity:{severity_width}} {rule['rule']:{width}}  {rule['title']}  "
            f"{scopes.get(rule['scope'], rule['scope'])}"
        )
        indent = " " * (mark_width + severity_width + 4)
        for message in rule["messages"]:
            lines.extend(
                textwrap.wrap(
                    printable(message), 100, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
                )
            )
    lines.append("")
    rows = document["rows"]
    if rows:
        lines.append(_("matrix rows consulted:"))
        for row in rows:
            fields = ", ".join(shown(texts, "fields", f) for f in row["fields"])
            what = _("extract of [{fields}]").format(fields=fields) if row["form"] == "extract" else _("integral")
            channel = (
                _(", channel {channel}").format(channel=shown(texts, "channels", row["channel"]))
                if "channel" in row
                else ""
            )
            mark = "" if row["matches_purpose"] else _(" (another purpose)")
            bases = ", ".join(shown(texts, "legal_bases", b) for b in row["bases"])
            lines.append(
                "  "
                + _("{row}: {purpose}{mark}: {what}; bases [{bases}]{channel}").format(
                    row=row["id"],
                    purpose=shown(texts, "purposes", row["purpose"]),
                    mark=mark,
                    what=what,
                    bases=bases,
                    channel=channel,
                )
            )
    else:
        lines.append(_("matrix rows consulted: none; no row lets this recipient receive this document"))
    lines.append("")
    alternatives = document["alternatives"]
    if not alternatives:
        lines.append(_("lawful alternative: none; the flow cannot be made lawful by changing it"))
    else:
        lines.append(
            _("lawful alternatives (one per lawful purpose):") if len(alternatives) > 1 else _("lawful alternative:")
        )
        notes = document.get("fields_note") or [None] * len(alternatives)
        for alternative, note in zip(alternatives, notes, strict=True):
            # A YAML comment: the alternative stays pasteable as it is printed.
            lines.extend(
                f"{line}  # {note}" if note and line.lstrip().startswith("fields:") else line
                for line in printable_lines(flow_yaml(alternative, indent="  ").rstrip("\n"))
            )
    return "\n".join(lines) + "\n"


def _severity(texts: Texts, severity: str) -> str:
    # English shows the severity as the value --fail-on takes; Dutch its name (catalogue/labels: fout, ...).
    return severity if texts.lang is Lang.EN else texts.name("severities", severity)


__all__ = ["explain_document", "render_explanation"]
