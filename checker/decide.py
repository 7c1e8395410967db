"""`ketencheck decide`: one exchange judged at run time by the pack's decision entry point.

The pack decides (policies/ketencheck/decide): allowed exactly when the same exchange written as a flow file
would be allowed by `check`. This module only shapes the request, validates it as a flow file would be
validated (so bad input is exit 2, never a silent allow), and reads the answer back. Every failure to decide
is an error: a caller treats anything but an allow as a deny.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from checker.errors import EngineOutputError, InputError
from checker.i18n import Lang, _, current
from checker.messages import MessageError, Texts, render_english
from checker.model import Finding, FlowId, RuleName, Severity
from checker.schema import validate

NATIVE_PATH = "ketencheck/decide/decision"
"""The native entry point: POST /v1/data/ketencheck/decide/decision with {"input": {exchange, context}}."""

AUTHZEN_PATH = "ketencheck/decide/authzen/response"
"""The AuthZEN 1.0 evaluation: POST /v0/data/ketencheck/decide/authzen/response with the request as body."""

CONTEXT_KEYS = ("trace_id", "traceparent", "processing_activity_id", "flow_id", "request_id")

# What a register entry's processing activity is: a change to any of these is a new activity (LDV).
_ACTIVITY_KEYS = ("from", "to", "purpose", "document", "form", "fields", "legal_basis", "channel", "retention")


def processing_activity_id(flow: Mapping[str, Any]) -> str:
    """A stable, versioned id of the processing activity a flow describes: "pa:<flow id>:<12 hex>".

    The hex part is a digest of what the activity is (parties, purpose, bases, data, channel, retention), so the
    same activity keeps its id across runs and files, and any change to it gives a new id, as the Logboek
    Dataverwerkingen asks of a register: a log record keeps pointing at the activity as it was.
    """
    activity = {key: flow[key] for key in _ACTIVITY_KEYS if key in flow}
    for key in ("fields", "legal_basis"):
        if isinstance(activity.get(key), list):
            activity[key] = sorted(str(item) for item in activity[key])
    digest = hashlib.sha256(json.dumps(activity, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return f"pa:{flow.get('id', '')}:{digest[:12]}"


@dataclass(frozen=True)
class Question:
    """One decision asked: the input document and which entry point answers it."""

    document: Mapping[str, Any]
    authzen: bool

    @property
    def path(self) -> str:
        """The data path of the entry point."""
        return AUTHZEN_PATH if self.authzen else NATIVE_PATH


def parse(text: str, today: str | None) -> Question:
    """A question from JSON: native ({exchange, context}) or AuthZEN ({subject, resource, action, context})."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise InputError(_("the exchange is not valid JSON: {problem}").format(problem=exc)) from exc
    if not isinstance(document, dict):
        raise InputError(
            _("the exchange must be a JSON object: {shape} or an AuthZEN request").format(shape="{exchange, context}")
        )
    if "exchange" in document:
        return native(document.get("exchange"), document.get("context", {}), today or document.get("today"))
    if "subject" in document and "resource" in document:
        return _authzen(document, today)
    raise InputError(_("the exchange must hold 'exchange' (native) or 'subject' and 'resource' (AuthZEN)"))


def native(exchange: Any, context: Any, today: Any) -> Question:
    """The native question, validated as the flow file it stands for would be."""
    if not isinstance(exchange, dict):
        raise InputError(_("exchange: must be an object"))
    if not isinstance(context, dict) or any(not isinstance(context[k], str) for k in context if k in CONTEXT_KEYS):
        raise InputError(_("context: must be an object whose {keys} are text").format(keys=", ".join(CONTEXT_KEYS)))
    unknown = sorted(set(context) - set(CONTEXT_KEYS))
    if unknown:
        raise InputError(
            _("context: unknown key(s) {unknown}; known: {known}").format(
                unknown=", ".join(unknown), known=", ".join(CONTEXT_KEYS)
            )
        )
    _validate(exchange, _("the exchange is invalid: {details}"))
    document: dict[str, Any] = {"exchange": exchange, "context": context}
    if today is not None:
        document["today"] = str(today)
    return Question(document, authzen=False)


def _authzen(request: Mapping[str, Any], today: str | None) -> Question:
    # The same mapping as policies/ketencheck/decide/authzen.rego, here only to refuse bad input with exit 2.
    parts = {key: request.get(key, {}) for key in ("subject", "resource", "action", "context")}
    for key, value in parts.items():
        if not isinstance(value, dict):
            raise InputError(_("{key}: must be an object (AuthZEN 1.0)").format(key=key))
    resource_properties = parts["resource"].get("properties", {})
    action_properties = parts["action"].get("properties", {})
    if not isinstance(resource_properties, dict) or not isinstance(action_properties, dict):
        raise InputError(_("resource.properties and action.properties must be objects"))
    exchange = {
        "to": parts["subject"].get("id"),
        "document": parts["resource"].get("type"),
        **{k: v for k, v in resource_properties.items() if k in ("from", "form", "fields")},
        **{
            k: v
            for k, v in action_properties.items()
            if k in ("purpose", "legal_basis", "channel", "retention", "volume", "dpia")
        },
    }
    _validate(exchange, _("the AuthZEN request is invalid: {details}"))
    document = dict(request)
    if today is not None:
        document["context"] = {**parts["context"], "today": today}
    return Question(document, authzen=True)


def _validate(exchange: Mapping[str, Any], invalid: str) -> None:
    flow = {"id": "exchange", **exchange}
    flow.setdefault("form", "extract")
    problems = validate({"version": 1, "flows": [flow]})
    if problems:
        details = "; ".join(p.message.replace("flows[0].", "").replace("flows[0]", "exchange") for p in problems[:5])
        raise InputError(invalid.format(details=details))


def from_flags(values: Mapping[str, Any], context: Mapping[str, str | None], today: str | None) -> Question:
    """The native question from command-line flags; lists given as repeated options."""
    exchange = {k: v for k, v in values.items() if v not in (None, ())}
    for key in ("fields", "legal_basis"):
        if key in exchange:
            exchange[key] = list(exchange[key])
    return native(exchange, {k: v for k, v in context.items() if v}, today)


def answer_of(question: Question, value: Any, revision: str | None) -> Mapping[str, Any]:
    """The engine's answer, checked for shape; a local pack directory gets its full revision."""
    if not isinstance(value, dict) or "decision" not in value:
        raise EngineOutputError(
            _("the decision entry point {query} gave no decision").format(
                query="data." + question.path.replace("/", ".")
            )
        )
    worded = _worded(question, value)
    if revision is None:
        return worded
    if question.authzen:
        context = worded.get("context")
        if isinstance(context, dict):
            return {**worded, "context": {**context, "pack_revision": revision}}
        return worded
    return {**worded, "pack_revision": revision}


def _worded(question: Question, value: dict[str, Any]) -> dict[str, Any]:
    # The pack sends each reason as data (message_id, arguments); the answer keeps them and adds the English
    # message and fix, as check's JSON report has them.
    native_answer = value.get("context") if question.authzen else value
    if not isinstance(native_answer, dict) or not isinstance(native_answer.get("reasons"), list):
        return value
    reasons = [_worded_reason(r) for r in native_answer["reasons"]]
    if question.authzen:
        return {**value, "context": {**native_answer, "reasons": reasons}}
    return {**value, "reasons": reasons}


def _worded_reason(reason: Any) -> Any:
    if not isinstance(reason, dict) or not isinstance(reason.get("message_id"), str):
        return reason
    fix_id = reason.get("fix_id")
    try:
        message, fix = render_english(
            reason["message_id"],
            reason.get("arguments", {}),
            fix_id if isinstance(fix_id, str) else None,
            reason.get("fix_arguments", {}),
        )
    except MessageError as exc:
        raise EngineOutputError(
            _("the decision names a reason this ketencheck cannot word: {problem}").format(problem=exc)
        ) from exc
    return {**reason, "message": message} | ({} if fix is None else {"fix": fix})


def allowed(question: Question, answer: Mapping[str, Any]) -> bool:
    """True only on an explicit allow: anything else is a deny (fail closed)."""
    return answer.get("decision") is True if question.authzen else answer.get("decision") == "allow"


def approved_data(flows: Sequence[Any]) -> dict[str, Any]:
    """The document data.ketencheck.approved: the approved flows as written, and each one's activity id."""
    return {
        "flows": [dict(flow.document) for flow in flows],
        "activities": {flow.id: processing_activity_id(flow.document) for flow in flows},
    }


def text(question: Question, answer: Mapping[str, Any]) -> str:
    """A short human rendering: the verdict, what to strip and why."""
    native_answer = answer.get("context", {}) if question.authzen else answer
    verdict = _("allow") if allowed(question, answer) else _("deny")
    lines = [
        _("{verdict}: {flow} (pack {revision})").format(
            verdict=verdict, flow=native_answer.get("flow_id", ""), revision=native_answer.get("pack_revision", "?")
        )
    ]
    if native_answer.get("strip"):
        lines.append("  " + _("strip: {fields}").format(fields=", ".join(native_answer["strip"])))
    texts = Texts(current())
    severities = {"error": _("error"), "warning": _("warning"), "info": _("info")}
    for reason in native_answer.get("reasons", []):
        severity = reason.get("severity")
        lines.append(
            f"  {severities.get(str(severity), severity)}: {reason.get('rule')}: {_reason_message(texts, reason)} "
            f"[{'; '.join(_reason_refs(texts, reason))}]"
        )
    return "\n".join(lines)


def _reason_message(texts: Texts, reason: Mapping[str, Any]) -> Any:
    # A reason is a finding as the pack sends it: worded as check words its findings, in the reader's language
    # (the English message it carries when this harness has no template for it).
    message = reason.get("message")
    if texts.lang is Lang.EN or not isinstance(reason.get("message_id"), str) or not isinstance(message, str):
        return message
    arguments = reason.get("arguments")
    finding = Finding(
        FlowId(str(reason.get("flow", ""))),
        RuleName(str(reason.get("rule", ""))),
        Severity.INFO,
        message,
        (),
        message_id=reason["message_id"],
        arguments=arguments if isinstance(arguments, Mapping) else {},
    )
    return texts.message(finding)


def _reason_refs(texts: Texts, reason: Mapping[str, Any]) -> list[Any]:
    refs = list(reason.get("legal_refs", []))
    sources = reason.get("legal_sources")
    if texts.lang is Lang.EN or not isinstance(sources, list) or len(sources) != len(refs):
        return refs
    # legal_sources cite legal_refs one for one (the codec checks it for check's findings): the Dutch citation.
    return [s.get("label_nl") or ref if isinstance(s, Mapping) else ref for s, ref in zip(sources, refs, strict=True)]


def evaluate(engine: Any, question: Question, approved: Sequence[Any] = ()) -> Mapping[str, Any]:
    """Ask the engine; approved flows (local engine only) are handed over as data.ketencheck.approved.

    The server has its approved flows in its bundle (ketencheck policy build --approved), never from the client:
    the party that asks cannot widen what it may send.
    """
    if approved:
        if not hasattr(engine, "approve"):
            raise InputError(_("--approved works with the local engine; a server has its approved flows in its bundle"))
        engine.approve(approved_data(approved))
    revision = engine.revision() if hasattr(engine, "revision") else None
    return answer_of(question, engine.query(question.path, question.document), revision)


def refuse_denied(flows: Sequence[Any], findings: Sequence[Any]) -> None:
    """Only flows that check allows can be approved: otherwise run time would start beyond design time."""
    denied = sorted({f.flow for f in findings if getattr(f.severity, "value", f.severity) == "error"})
    if denied:
        raise InputError(
            _(
                "only flows that check allows can be approved; denied: {flows} (run ketencheck check on them for the "
                "findings)"
            ).format(flows=", ".join(denied))
        )
    if len({flow.id for flow in flows}) != len(flows):
        raise InputError(_("approved flow ids must be unique"))
