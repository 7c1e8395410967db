"""The wire format between ketencheck and its policy pack, the same for every engine: the input document sent
to data.ketencheck.main.result, and the checks that turn its answer (and the rules' METADATA) into the model.

Anything unexpected is an EngineOutputError: a malformed answer must never read as "no findings"."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from checker.engine.interface import Evaluation, Request
from checker.errors import EngineOutputError
from checker.i18n import _
from checker.messages import MessageError, render_english
from checker.model import (
    EngineInfo,
    Finding,
    FlowFacts,
    FlowId,
    LegalSource,
    RuleInfo,
    RuleName,
    Severity,
    Waiver,
    WaiverResult,
    WaiverStatus,
)


def policy_input(request: Request) -> dict[str, Any]:
    """The input document every engine sends: all flows as written, the waivers, the day, what to explain."""
    document: dict[str, Any] = {
        "flows": [dict(flow.document) for flow in request.flows],
        "waivers": [_waiver_input(w) for w in request.waivers],
        "today": request.today.isoformat(),
    }
    if request.explain is not None:
        document["explain"] = request.explain
    if request.facts:
        document["facts"] = True
    if request.names:
        document["names"] = True
    return document


def _waiver_input(waiver: Waiver) -> dict[str, Any]:
    document: dict[str, Any] = {
        "version": 2 if waiver.bound else 1,
        "flow": waiver.flow,
        "rule": waiver.rule,
        "justification": waiver.justification,
        "approver": waiver.approver,
        "dpia": waiver.dpia,
        "expires": waiver.expires.isoformat(),
    }
    if waiver.bound:
        document["subject"] = dict(waiver.subject or {})
        document["digest"] = waiver.digest
    return document


def parse_result(value: Any, request: Request, engine_name: str) -> Evaluation:
    """Check the shape of data.ketencheck.main.result and turn it into findings.

    Anything unexpected is an EngineOutputError: a malformed answer must never read as "no findings".
    """
    if not isinstance(value, Mapping):
        raise EngineOutputError(
            _("{engine} returned {type} instead of a result object").format(
                engine=engine_name, type=type(value).__name__
            )
        )
    raw = value.get("findings")
    if not isinstance(raw, list):
        raise EngineOutputError(_("{engine} returned no list of findings").format(engine=engine_name))
    known = {flow.id for flow in request.flows}
    # A large run words the same few sentences thousands of times: each distinct one is rendered once.
    worded: dict[bytes, tuple[Any, Any]] = {}
    findings = tuple(_finding(item, known, request.waivers, engine_name, worded) for item in raw)
    waivers = _waiver_results(value.get("waivers"), request.waivers, engine_name)
    _check_verdicts(value.get("verdicts"), findings, request, engine_name)
    explanation = value.get("explain")
    if request.explain is not None and not isinstance(explanation, Mapping):
        raise EngineOutputError(
            _("{engine} returned no explanation for flow '{flow}'").format(engine=engine_name, flow=request.explain)
        )
    pack = value.get("pack")
    version = value.get("opa_version")
    loaded = value.get("bundles")
    revision = ", ".join(str(r) for _, r in sorted(loaded.items())) if isinstance(loaded, dict) else ""
    return Evaluation(
        findings,
        EngineInfo(
            engine_name,
            version if isinstance(version, str) else "unknown",
            pack if isinstance(pack, dict) else {},
            revision,
        ),
        waivers,
        explanation if isinstance(explanation, Mapping) else None,
        _facts(value.get("facts"), request, engine_name) if request.facts else {},
        _names(value.get("names"), engine_name) if request.names else {},
    )


def _names(raw: Any, engine_name: str) -> dict[str, dict[str, dict[str, str]]]:
    # Readable names, kind -> id -> lang -> name; a pack without labels sends none and ids stay ids.
    if raw is None:
        return {}
    if not isinstance(raw, Mapping) or not all(
        isinstance(ids, Mapping)
        and all(
            isinstance(by_lang, Mapping) and all(isinstance(t, str) for t in by_lang.values())
            for by_lang in ids.values()
        )
        for ids in raw.values()
    ):
        raise EngineOutputError(
            _("{engine} returned malformed names: {raw}").format(engine=engine_name, raw=f"{raw!r:.200}")
        )
    return {str(kind): {str(i): dict(by_lang) for i, by_lang in ids.items()} for kind, ids in raw.items()}


_FORMS = ("integral", "extract", "none")


def _facts(raw: Any, request: Request, engine_name: str) -> dict[FlowId, FlowFacts]:
    # The audit shows these as the policies' word: every flow sent must have well-formed facts, or none are shown.
    if not isinstance(raw, Mapping):
        raise EngineOutputError(
            _("{engine} returned no facts: is the policy pack older than this ketencheck?").format(engine=engine_name)
        )
    facts: dict[FlowId, FlowFacts] = {}
    for flow in request.flows:
        item: Any = raw.get(flow.id)
        try:
            carried, categories, form, row = item["carried"], item["categories"], item["allowed_form"], item["row"]
        except (TypeError, KeyError) as exc:
            raise EngineOutputError(
                _("{engine} returned no facts for flow '{flow}'").format(engine=engine_name, flow=flow.id)
            ) from exc
        if (
            not isinstance(carried, list)
            or not all(isinstance(x, str) for x in carried)
            or not isinstance(categories, list)
            or not all(isinstance(x, str) for x in categories)
            or form not in _FORMS
            or not (row is None or isinstance(row, str))
        ):
            raise EngineOutputError(
                _("{engine} returned malformed facts for flow '{flow}': {item}").format(
                    engine=engine_name, flow=flow.id, item=f"{item!r:.200}"
                )
            )
        facts[flow.id] = FlowFacts(tuple(carried), tuple(categories), form, row)
    return facts


def _check_verdicts(raw: Any, findings: Sequence[Finding], request: Request, engine_name: str) -> None:
    # The policies state each verdict too; a disagreement with the findings means the answer cannot be trusted,
    # and an answer without verdicts is not the ketencheck pack's (it would have passed every flow).
    if raw is None:
        raise EngineOutputError(
            _("{engine} returned no verdicts: is the ketencheck policy pack loaded?").format(engine=engine_name)
        )
    denied = {f.flow for f in findings if f.severity is Severity.ERROR and f.counts}
    expected = {flow.id: "deny" if flow.id in denied else "allow" for flow in request.flows}
    if raw != expected:
        raise EngineOutputError(
            _("{engine} returned verdicts that do not follow from its findings").format(engine=engine_name)
        )


def _waiver_results(raw: Any, waivers: Sequence[Waiver], engine_name: str) -> tuple[WaiverResult, ...]:
    # Every waiver sent must come back with a status: a waiver the engine ignored would pass unnoticed.
    if raw is None and not waivers:
        return ()
    if not isinstance(raw, list):
        raise EngineOutputError(_("{engine} returned no waiver statuses").format(engine=engine_name))
    statuses: dict[int, WaiverStatus] = {}
    for item in raw:
        try:
            statuses[int(item["index"])] = WaiverStatus(item["status"])
        except (TypeError, KeyError, ValueError) as exc:
            raise EngineOutputError(
                _("{engine} returned a malformed waiver status: {item}").format(
                    engine=engine_name, item=f"{item!r:.200}"
                )
            ) from exc
    if set(statuses) != set(range(len(waivers))):
        raise EngineOutputError(
            _("{engine} returned statuses for {count} of {total} waivers").format(
                engine=engine_name, count=len(statuses), total=len(waivers)
            )
        )
    return tuple(WaiverResult(waivers[i], statuses[i]) for i in range(len(waivers)))


def _finding(
    item: Any, known: set[FlowId], waivers: Sequence[Waiver], engine_name: str, worded: dict[bytes, tuple[Any, Any]]
) -> Finding:
    try:
        flow = item["flow"]
        rule = item["rule"]
        severity = Severity(item["severity"])
        message_id = item.get("message_id", "")
        arguments = item.get("arguments", {})
        fix_id = item.get("fix_id")
        fix_arguments = item.get("fix_arguments", {})
        message, fix = _rendered(item, engine_name, worded)
        legal_refs = item["legal_refs"]
        title = item.get("title", "")
        title_nl = item.get("title_nl", title)
        subject = item.get("subject", {})
        digest = item.get("digest", "")
        waivable = item.get("waivable", True)
        scope = item.get("scope", "flow")
    except (TypeError, KeyError, ValueError) as exc:
        raise EngineOutputError(
            _("{engine} returned a malformed finding: {item}").format(engine=engine_name, item=f"{item!r:.200}")
        ) from exc
    if (
        not all(isinstance(x, str) for x in (flow, rule, message, title, title_nl, message_id))
        or not isinstance(arguments, Mapping)
        or not isinstance(fix_arguments, Mapping)
        or not (fix_id is None or isinstance(fix_id, str))
        or not isinstance(legal_refs, list)
        or not all(isinstance(x, str) for x in legal_refs)
        or not (fix is None or isinstance(fix, str))
        or not isinstance(subject, Mapping)
        or not isinstance(digest, str)
        or not isinstance(waivable, bool)
        or scope not in ("flow", "chain")
    ):
        raise EngineOutputError(
            _("{engine} returned a malformed finding: {item}").format(engine=engine_name, item=f"{item!r:.200}")
        )
    if flow not in known:
        raise EngineOutputError(
            _("{engine} returned a finding for unknown flow '{flow}'").format(engine=engine_name, flow=flow)
        )
    sources = _legal_sources(item.get("legal_sources", []), item, engine_name)
    if sources and [s.label for s in sources] != legal_refs:
        raise EngineOutputError(
            _("{engine} returned legal sources that do not match legal_refs: {item}").format(
                engine=engine_name, item=f"{item!r:.200}"
            )
        )
    finding = Finding(
        FlowId(flow),
        RuleName(rule),
        severity,
        message,
        tuple(legal_refs),
        fix,
        title,
        None,
        legal_sources=sources,
        subject=subject,
        digest=digest,
        waivable=waivable,
        scope=scope,
        message_id=message_id,
        arguments=arguments,
        fix_id=fix_id,
        fix_arguments=fix_arguments,
        title_nl=title_nl,
    )
    if item.get("waived") is None:
        return finding  # most findings: no second copy of the dataclass
    return dataclasses.replace(finding, waiver=_waiver_of(item.get("waived"), waivers, finding, engine_name))


def _rendered(item: Any, engine_name: str, worded: dict[bytes, tuple[Any, Any]]) -> tuple[Any, Any]:
    """The English message and fix of a finding: rendered from its message_id and fix_id (the pack's findings are
    data), or as sent by a pack whose rule sends text. A message_id this harness has no template for, or arguments
    that do not fit it, is a malformed answer: the finding must not reach a reader without its words. `worded`
    keeps what was rendered this run, by the sentence's data."""
    message_id = item.get("message_id")
    if message_id is None:
        return item["message"], item.get("fix")
    fix_id = item.get("fix_id")
    try:
        key = orjson.dumps(
            [message_id, item.get("arguments"), fix_id, item.get("fix_arguments")], option=orjson.OPT_SORT_KEYS
        )
    except TypeError:
        key = b""  # not JSON data: rendering says what is wrong with it
    if key and key in worded:
        return worded[key]
    try:
        message, fix = render_english(message_id, item.get("arguments", {}), fix_id, item.get("fix_arguments", {}))
    except MessageError as exc:
        raise EngineOutputError(
            _("{engine} returned a finding this ketencheck cannot word: {problem}").format(
                engine=engine_name, problem=exc
            )
        ) from exc
    if key:
        worded[key] = (message, fix)
    return message, fix


def _legal_sources(raw: Any, item: Any, engine_name: str) -> tuple[LegalSource, ...]:
    # A pack without a law catalogue sends none; one that sends them must send well-formed ones.
    try:
        sources = tuple(
            LegalSource(s["label"], s["url"], s["valid_from"], s["verified"], s.get("label_nl", ""))
            for s in raw
            if isinstance(s, dict)
        )
    except (TypeError, KeyError) as exc:
        raise EngineOutputError(
            _("{engine} returned malformed legal sources: {item}").format(engine=engine_name, item=f"{item!r:.200}")
        ) from exc
    if (
        not isinstance(raw, list)
        or len(sources) != len(raw)
        or not all(
            isinstance(s.label, str)
            and isinstance(s.url, str)
            and isinstance(s.valid_from, str)
            and isinstance(s.verified, bool)
            and isinstance(s.label_nl, str)
            for s in sources
        )
    ):
        raise EngineOutputError(
            _("{engine} returned malformed legal sources: {item}").format(engine=engine_name, item=f"{item!r:.200}")
        )
    return sources


def _waiver_of(index: Any, waivers: Sequence[Waiver], finding: Finding, engine_name: str) -> Waiver | None:
    # The engine's word is checked against the waiver itself: a mismatch would pass a finding nobody accepted.
    if index is None:
        return None
    if not isinstance(index, int) or not 0 <= index < len(waivers):
        raise EngineOutputError(
            _("{engine} marked a finding with an unknown waiver {index}").format(engine=engine_name, index=f"{index!r}")
        )
    waiver = waivers[index]
    if (
        (waiver.flow, waiver.rule) != (finding.flow, finding.rule)
        or not finding.waivable
        or (waiver.bound and (waiver.digest, dict(waiver.subject or {})) != (finding.digest, dict(finding.subject)))
    ):
        raise EngineOutputError(
            _("{engine} applied the waiver for {rule} on {flow} to {finding_rule} on {finding_flow}").format(
                engine=engine_name,
                rule=waiver.rule,
                flow=waiver.flow,
                finding_rule=finding.rule,
                finding_flow=finding.flow,
            )
        )
    return waiver


def parse_rules(annotations: Any, engine_name: str) -> tuple[RuleInfo, ...]:
    """The rules among the annotations of `opa inspect -a`: the deny rules of data.ketencheck.rules and .chain."""
    if not isinstance(annotations, list):
        raise EngineOutputError(_("{engine} returned no annotations").format(engine=engine_name))
    rules: dict[str, RuleInfo] = {}
    for entry in annotations:
        try:
            path = [part["value"] for part in entry["path"]]
            notes = entry["annotations"]
        except (TypeError, KeyError) as exc:
            raise EngineOutputError(
                _("{engine} returned a malformed annotation: {entry}").format(
                    engine=engine_name, entry=f"{entry!r:.200}"
                )
            ) from exc
        if (
            len(path) != 5
            or path[:2] != ["data", "ketencheck"]
            or path[2] not in ("rules", "chain")
            or path[4] != "deny"
        ):
            continue
        try:
            custom = notes["custom"]
            info = RuleInfo(
                RuleName(path[3]),
                "flow" if path[2] == "rules" else "chain",
                notes["title"],
                " ".join(str(notes.get("description", "")).split()),
                Severity(custom["severity"]),
                tuple(custom["legal_refs"]),
                tuple((r["ref"], r.get("description", "")) for r in notes.get("related_resources", [])),
                entry.get("location", {}).get("file", ""),
                title_nl=_in_dutch(custom, "title"),
                description_nl=" ".join(_in_dutch(custom, "description").split()),
            )
        except (TypeError, KeyError, ValueError) as exc:
            raise EngineOutputError(
                _("rule {rule} has incomplete METADATA (title, custom.severity, custom.legal_refs)").format(
                    rule=path[3]
                )
            ) from exc
        rules[info.name] = _merge(rules[info.name], info, notes) if info.name in rules else info
    return tuple(rules[name] for name in sorted(rules))


def _in_dutch(custom: Any, key: str) -> str:
    # custom.nl is optional (a pack without Dutch falls back on English) and, like any METADATA, may be malformed.
    dutch = custom.get("nl") if isinstance(custom, Mapping) else None
    value = dutch.get(key, "") if isinstance(dutch, Mapping) else ""
    return value if isinstance(value, str) else ""


def _merge(seen: RuleInfo, other: RuleInfo, notes: Any) -> RuleInfo:
    """One rule with a block per body (no_need_to_know: lid 4 or lid 8 by recipient): the document-scope block
    names and describes the rule, and the legal references and sources of every block are the rule's."""
    base, extra = (other, seen) if notes.get("scope") == "document" else (seen, other)
    return dataclasses.replace(
        base,
        legal_refs=tuple(dict.fromkeys(base.legal_refs + extra.legal_refs)),
        resources=tuple(dict.fromkeys(base.resources + extra.resources)),
    )
