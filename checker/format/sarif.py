"""SARIF 2.1.0 for code scanning: one run, every rule with its law, results at the flow's file, line and column.

Waived and baselined findings are results with an accepted external suppression, so code scanning shows them
as dismissed (with the waiver's justification, or as recorded in the baseline) instead of losing them.

The texts follow the language in use; the property names are SARIF's and ketencheck's own, English in every
language. A finding that carries a message_id becomes a result whose message names its template in the rule's
messageStrings and gives the arguments (SARIF 2.1.0 §3.11.5, §3.11.7, §3.49.11), besides the rendered text.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from checker import __version__
from checker.format import words
from checker.i18n import Lang, _, current
from checker.messages import Texts, message_ids, template
from checker.model import Finding, FlowResult, InvalidInput, LegalSource, Report, RuleInfo, Severity, WaiverResult
from checker.sanitize import json_safe

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


class SarifFormat:
    """The report as a SARIF log; input errors and waiver problems are tool execution notifications."""

    def render(self, report: Report) -> str:
        """The SARIF log as indented JSON with a trailing newline."""
        return json_safe(json.dumps(sarif_log(report), indent=2, ensure_ascii=False)) + "\n"


Templates = Callable[[str], str | None]
"""A message_id's template with named {placeholders} in one language; None where the catalogue has none."""


def argument_order(english: str) -> tuple[str, ...]:
    """The placeholders of a template by their first appearance: SARIF's {0}, {1}, ... in that order. The English
    template decides, so that the positions are the same in every language's messageStrings."""
    names: dict[str, None] = {}
    for _literal, field, _spec, _conversion in string.Formatter().parse(english):
        if field:
            names.setdefault(field, None)
    return tuple(names)


def positional(template: str, order: Sequence[str]) -> str:
    """A template with named placeholders as a SARIF message string: each {name} as {index} in `order`, a literal
    brace doubled ({{ and }}), as in the named form."""
    out: list[str] = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if field:
            out.append("{" + str(order.index(field) if field in order else len(order)) + "}")
    return "".join(out)


def message_strings(ids: Iterable[str], local: Templates, english: Templates) -> dict[str, dict[str, str]]:
    """A rule's messageStrings: each message_id's template in the language in use, placeholders by position."""
    strings: dict[str, dict[str, str]] = {}
    for ident in sorted(set(ids)):
        text, source = local(ident), english(ident)
        if text is not None and source is not None:
            strings[ident] = {"text": positional(text, argument_order(source))}
    return strings


def result_message(
    message_id: str, arguments: Mapping[str, str], english: Templates, text: str
) -> dict[str, Any] | None:
    """A result's message as SARIF's id and arguments (the rendered argument strings, by position) with the
    rendered text; None where the message has no English template, which leaves the text alone."""
    source = english(message_id)
    if source is None:
        return None
    order = argument_order(source)
    # Beside arguments, the text is a message string too (SARIF 2.1.0 §3.11.5): a brace from a flow file is doubled,
    # so that a viewer that fills in the arguments shows it as written.
    escaped = text.replace("{", "{{").replace("}", "}}")
    return {"id": message_id, "arguments": [arguments.get(name, "") for name in order], "text": escaped}


def _templates(lang: Lang) -> Templates:
    # The `findings` domain, as checker/messages.py renders from it: one lookup of each template per run.
    return functools.partial(template, lang)


def sarif_log(report: Report) -> dict[str, Any]:
    """The whole log: one run of ketencheck."""
    texts = Texts.of(report)
    lang = current()
    english = _templates(Lang.EN)
    local = _templates(lang)
    rules = _rules(report)
    index = {rule.name: i for i, rule in enumerate(rules)}
    used: dict[str, set[str]] = {}
    for result in report.results:
        for f in result.findings:
            if f.message_id:
                used.setdefault(f.rule, set()).add(f.message_id)
    # A rule of the pack (report.rules) lists every template of its own (message_id rule or rule.variant); a rule
    # known only from a finding lists those its results use.
    of_pack = {rule.name for rule in report.rules}
    known = message_ids(Lang.EN) if of_pack else frozenset()
    driver: dict[str, Any] = {
        "name": "ketencheck",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": "https://www.openpolicyagent.org/",
        "rules": [],
    }
    for rule in rules:
        ids = set(used.get(rule.name, ()))
        if rule.name in of_pack:
            ids |= {i for i in known if i == rule.name or i.startswith(rule.name + ".")}
        driver["rules"].append(_rule(texts, rule, message_strings(ids, local, english)))
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
                "message": {"text": n.describe(_)},
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
        "results": [_result(texts, english, r, f, index[f.rule]) for r in report.results for f in r.findings],
    }
    if lang is not Lang.EN:
        # run.language defaults to en-US in SARIF: said only where it differs, so an English log is as it always was.
        run["language"] = words.lang_tag()
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


def _rule(texts: Texts, rule: RuleInfo, strings: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    law = "; ".join(texts.law(s) for s in rule.legal_sources) if rule.legal_sources else "; ".join(rule.legal_refs)
    title, description = texts.rule_title(rule), texts.rule_description(rule)
    references = _("Legal references:")
    out: dict[str, Any] = {
        "id": rule.name,
        # SARIF wants a readable PascalCase name that differs from the opaque id: the English title gives one, the
        # same in every language (it names the rule, as the id does).
        "name": "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", rule.title)),
        "shortDescription": {"text": title},
        "fullDescription": {"text": description},
        "help": {
            "text": f"{description}\n{references} {law}",
            "markdown": f"{description}\n\n**{references}** {law}",
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
    if strings:
        out["messageStrings"] = dict(strings)
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


def _result(texts: Texts, english: Templates, result: FlowResult, finding: Finding, rule_index: int) -> dict[str, Any]:
    flow = result.flow
    message = texts.message(finding)
    # A Dutch message is a sentence with its own full stop; the law follows after one.
    text = _("{flow}: {message}. Law: {law}.").format(
        flow=flow.id, message=message.removesuffix("."), law="; ".join(words.laws(texts, finding))
    )
    fix = texts.fix(finding)
    if fix:
        text += " " + _("Fix: {fix}").format(fix=fix)
    structured = (
        result_message(finding.message_id, texts.arguments(finding), english, text) if finding.message_id else None
    )
    out: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": structured or {"text": text},
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
        accepted = _("approved by {approver}, {dpia}, until {expires}").format(
            approver=w.approver, dpia=w.dpia, expires=w.expires.isoformat()
        )
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
                "justification": _(
                    "recorded in the baseline (--baseline): a known finding accepted for now, still to be fixed"
                ),
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
        "message": {"text": result.describe(_)},
        "locations": [_location(result.waiver.file, result.waiver.line)],
        "descriptor": {"id": f"waiver_{result.status.value}"},
    }
