"""What every engine does: evaluate all flows at once, and tell what the policy pack knows.

Only the interface lives here: the Engine protocol, what it is asked and answers, and the errors it raises. How a
request and an answer travel to and from the ketencheck pack (the wire format) is checker/engine/codec.py."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from checker.errors import EngineError, EngineFailed, EngineNotFound, EngineOutputError, EngineTimeout
from checker.model import EngineInfo, Finding, Flow, FlowFacts, FlowId, RuleInfo, Waiver, WaiverResult


@dataclass(frozen=True)
class Evaluation:
    """The findings of one evaluation of all flows, and what produced them."""

    findings: tuple[Finding, ...]
    engine: EngineInfo
    waivers: tuple[WaiverResult, ...] = ()
    """Every waiver given, with its status."""
    explanation: Mapping[str, Any] | None = field(default=None, compare=False)
    """For `explain`: the rows consulted for one flow and its lawful alternatives."""
    facts: Mapping[FlowId, FlowFacts] = field(default_factory=dict, compare=False)
    """For the audit (Request(facts=True)): per flow, the fields it carries, their categories, the matrix's form."""
    names: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict, compare=False)
    """For Request(names=True): readable names of the catalogue's ids, kind -> id -> lang -> name."""


@dataclass(frozen=True)
class Request:
    """What one evaluation is asked: the flows, the waivers to apply, and optionally a flow to explain."""

    flows: Sequence[Flow]
    waivers: Sequence[Waiver] = ()
    today: datetime.date = field(default_factory=datetime.date.today)
    """The day waivers expire against; part of the request so that a report can be reproduced."""
    explain: FlowId | None = None
    facts: bool = False
    """Ask for each flow's facts (FlowFacts) as well: only the audit does, so that `check` pays nothing for them."""
    names: bool = False
    """Ask for the readable names of the catalogue's ids (catalogue/labels): a run in Dutch, or a format that names
    ids, does; an English check pays nothing for them."""


class Engine(Protocol):
    """A policy decision point: the local opa binary, or an OPA server."""

    def evaluate(self, request: Request) -> Evaluation:
        """Evaluate every flow of the request in one go; raise EngineError when no verdict can be had."""
        ...

    def catalogue(self) -> Mapping[str, Any]:
        """The policy pack's catalogue: partners, fields, documents, purposes, legal bases and matrix."""
        ...

    def rules(self) -> tuple[RuleInfo, ...]:
        """Every rule of the policy pack with its METADATA, sorted by name."""
        ...

    def close(self) -> None:
        """Release what the engine holds (a verified bundle copy, an HTTP session); called once, at the end."""
        ...


__all__ = [
    "Engine",
    "EngineError",
    "EngineFailed",
    "EngineNotFound",
    "EngineOutputError",
    "EngineTimeout",
    "Evaluation",
    "Request",
]
