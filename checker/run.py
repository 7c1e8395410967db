"""One run, the same for every command: read the inputs, evaluate every flow at once, build the Report.

`check`, `audit`, `explain` and `waiver add` differ only in what they ask (a RunRequest) and in what they do with
the Report; the command line chooses the format, prints and exits (checker/cli.py).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from checker import i18n
from checker.engine.interface import Engine, Request
from checker.errors import InputError
from checker.i18n import Lang
from checker.loader import Limits, Loaded
from checker.model import Finding, FlowId, Report, Waiver


@dataclass(frozen=True)
class RunRequest:
    """What one run is asked."""

    paths: tuple[str, ...]
    """The flow files and directories reported on."""
    engine: Callable[[], Engine]
    """Starts the engine: called only when there is a valid flow to evaluate (input errors alone exit 2)."""
    today: datetime.date = field(default_factory=datetime.date.today)
    """The evaluation day: waiver expiry and the law in force cited."""
    limits: Limits = Limits()
    context: tuple[str, ...] = ()
    """Flow files evaluated with paths for the chain rules but reported only where a change can have turned them
    (checker/context.py)."""
    waivers_file: str | None = None
    baseline_file: str | None = None
    """Hide the findings this baseline records."""
    write_baseline_file: str | None = None
    """Record every finding of the run here (before --baseline hides any)."""
    pack_source: str = ""
    """Where the pack comes from, for the report header (EngineSettings.pack_source)."""
    rules: bool = False
    """Put the pack's rules, their law resolved for today, in the report (a format that describes them: SARIF)."""
    facts: bool = False
    """Ask the policies for each flow's facts (FlowResult.facts): the audit is a view over them."""
    names: bool = False
    """Ask the policies for the readable names of ids (Report.names) in any language; a run in Dutch always does."""
    explain: FlowId | None = None
    """The flow to explain: the report then carries the engine's explanation and the rules as the pack has them."""
    admit: Callable[[Loaded], None] | None = None
    """Called with what was read, before the engine starts; raises InputError to refuse the run (waiver add)."""
    on_file: Callable[[str], None] | None = None
    """Called after each flow file is read (a progress bar)."""
    on_evaluate: Callable[[int], None] | None = None
    """Called with the number of flows just before they go to the engine."""


def run(request: RunRequest) -> Report:
    """Load → evaluate → Report. Raises CheckerError (input, exit 2) or EngineError (exit 3); never prints."""
    from checker.loader import load, load_with_context

    waivers: tuple[Waiver, ...] = ()
    if request.waivers_file:
        from checker.waivers import load_waivers

        waivers = load_waivers(request.waivers_file)
    baseline = None
    # The baseline a repository names in .ketencheck.yaml does not exist until --write-baseline first writes it: that
    # run records every finding and applies what it wrote, so the file it is about to create is not read.
    creating = request.write_baseline_file == request.baseline_file and not Path(request.baseline_file or "").exists()
    if request.baseline_file and not creating:
        from checker.baseline import read_baseline

        baseline = read_baseline(request.baseline_file)
    if request.context:
        loaded = load_with_context(request.paths, request.context, request.limits)
    else:
        loaded = load(request.paths, request.limits, on_file=request.on_file)
    _require(request, loaded)
    evaluated: tuple[Finding, ...] = ()
    if loaded.flows:
        if request.on_evaluate is not None:
            request.on_evaluate(len(loaded.flows))
        report, evaluated = _evaluate(request, loaded, waivers)
    else:
        # Nothing valid to evaluate: the input errors alone decide (exit 2), without starting the engine.
        report = Report.create((), (), loaded.errors)
    if request.write_baseline_file:
        from checker.baseline import write_baseline

        baseline = write_baseline(request.write_baseline_file, report)
    if baseline is not None:
        from checker.baseline import apply_baseline

        report = apply_baseline(report, baseline, evaluated)
    return report


def _require(request: RunRequest, loaded: Loaded) -> None:
    # explain and waiver add need their flow, and waiver add a valid set, before anything is evaluated.
    if request.admit is not None:
        request.admit(loaded)
    wanted = request.explain
    if wanted is not None and not any(flow.id == wanted for flow in loaded.flows):
        problems = "".join(f"\n  {e.file}:{e.line or ''}: {e.message}" for e in loaded.errors)
        raise InputError(
            i18n._("no valid flow with id '{flow}' in {paths}{problems}").format(
                flow=wanted, paths=", ".join(request.paths), problems=problems
            )
        )


def _evaluate(request: RunRequest, loaded: Loaded, waivers: tuple[Waiver, ...]) -> tuple[Report, tuple[Finding, ...]]:
    from checker.context import affected

    engine = request.engine()
    evaluation = engine.evaluate(
        Request(
            loaded.flows + loaded.context,
            waivers,
            request.today,
            explain=request.explain,
            facts=request.facts,
            # Dutch names ids by their names; English shows the ids themselves, and pays nothing for names.
            names=request.names or i18n.current() is not Lang.EN,
        )
    )
    evaluated = evaluation.findings
    # A context flow the change may have turned is reported with its chain findings, the only ones a change
    # elsewhere can cause; the rest of the context is read, not reported (checker/context.py).
    downstream = affected(loaded.flows, loaded.context)
    caused = {f.flow for f in evaluated if f.flow in downstream and f.scope == "chain"}
    reported = {flow.id for flow in loaded.flows}
    context = {flow.id for flow in loaded.context} - caused
    report = Report.create(
        loaded.flows + tuple(flow for flow in loaded.context if flow.id in caused),
        [f for f in evaluated if f.flow in reported or (f.flow in caused and f.scope == "chain")],
        loaded.errors,
        dataclasses.replace(evaluation.engine, source=request.pack_source),
        # A waiver for a flow that is only context is not this run's business.
        [w for w in evaluation.waivers if w.waiver.flow not in context],
        evaluation.facts,
    )
    if evaluation.names:
        report = dataclasses.replace(report, names=evaluation.names)
    if request.explain is not None:
        report = dataclasses.replace(report, rules=engine.rules(), explanation=evaluation.explanation)
    elif request.rules:
        from checker.law import resolve_rules

        law = engine.catalogue().get("law", {})
        report = dataclasses.replace(report, rules=resolve_rules(engine.rules(), law, request.today))
    return report, evaluated
