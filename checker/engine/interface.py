"""What every engine does: evaluate all flows at once, and tell what the policy pack knows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from checker.errors import EngineOutputError
from checker.model import EngineInfo, Finding, Flow, FlowId, RuleName, Severity


@dataclass(frozen=True)
class Evaluation:
    """The findings of one evaluation of all flows, and what produced them."""

    findings: tuple[Finding, ...]
    engine: EngineInfo


class Engine(Protocol):
    """A policy decision point: the local opa binary, or an OPA server."""

    def evaluate(self, flows: Sequence[Flow]) -> Evaluation:
        """Evaluate every flow in one go; raise EngineError when no verdict can be had."""
        ...

    def catalogue(self) -> Mapping[str, Any]:
        """The policy pack's catalogue: partners, fields, documents, purposes, legal bases and matrix."""
        ...


def policy_input(flows: Sequence[Flow]) -> dict[str, Any]:
    """The input document every engine sends: all flows, as written."""
    return {"flows": [dict(flow.document) for flow in flows]}


def parse_result(value: Any, flows: Sequence[Flow], engine_name: str) -> Evaluation:
    """Check the shape of data.ketencheck.main.result and turn it into findings.

    Anything unexpected is an EngineOutputError: a malformed answer must never read as "no findings".
    """
    if not isinstance(value, Mapping):
        raise EngineOutputError(f"{engine_name} returned {type(value).__name__} instead of a result object")
    raw = value.get("findings")
    if not isinstance(raw, list):
        raise EngineOutputError(f"{engine_name} returned no list of findings")
    known = {flow.id for flow in flows}
    findings = tuple(_finding(item, known, engine_name) for item in raw)
    pack = value.get("pack")
    version = value.get("opa_version")
    return Evaluation(
        findings,
        EngineInfo(
            engine_name, version if isinstance(version, str) else "unknown", pack if isinstance(pack, dict) else {}
        ),
    )


def _finding(item: Any, known: set[FlowId], engine_name: str) -> Finding:
    try:
        flow = item["flow"]
        rule = item["rule"]
        severity = Severity(item["severity"])
        message = item["message"]
        legal_refs = item["legal_refs"]
        fix = item.get("fix")
        title = item.get("title", "")
    except (TypeError, KeyError, ValueError) as exc:
        raise EngineOutputError(f"{engine_name} returned a malformed finding: {item!r:.200}") from exc
    if (
        not all(isinstance(x, str) for x in (flow, rule, message, title))
        or not isinstance(legal_refs, list)
        or not all(isinstance(x, str) for x in legal_refs)
        or not (fix is None or isinstance(fix, str))
    ):
        raise EngineOutputError(f"{engine_name} returned a malformed finding: {item!r:.200}")
    if flow not in known:
        raise EngineOutputError(f"{engine_name} returned a finding for unknown flow '{flow}'")
    return Finding(FlowId(flow), RuleName(rule), severity, message, tuple(legal_refs), fix, title)
