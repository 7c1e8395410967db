"""Baselines: record today's findings so that a gate reports only new ones (--baseline, --write-baseline).

Findings are matched by flow id and rule, never by line: moving a flow within its file, or to another file,
keeps it baselined. A baseline is a reviewed file in the repository, so it is written sorted and stable.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from checker.errors import InputError
from checker.model import FlowId, FlowResult, Report, RuleName

Key = tuple[FlowId, RuleName]


def read_baseline(given: str) -> frozenset[Key]:
    """The (flow, rule) pairs a baseline file records."""
    try:
        document: Any = json.loads(Path(given).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{given}: baseline file not found (write one with --write-baseline)") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{given}: cannot read the baseline: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{given}:{exc.lineno}: invalid JSON in the baseline: {exc.msg}") from exc
    entries = document.get("findings") if isinstance(document, dict) and document.get("version") == 1 else None
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("flow"), str) and isinstance(e.get("rule"), str) for e in entries
    ):
        raise InputError(
            f'{given}: not a ketencheck baseline (expected {{"version": 1, "findings": [{{"flow", "rule"}}]}})'
        )
    return frozenset((FlowId(e["flow"]), RuleName(e["rule"])) for e in entries)


def write_baseline(given: str, report: Report) -> frozenset[Key]:
    """Write every finding that counts today (waived ones are already accounted for) as the baseline file; the
    pairs it records, to apply without reading the file back."""
    keys = frozenset((f.flow, f.rule) for r in report.results for f in r.findings if f.counts)
    document = {"version": 1, "findings": [{"flow": flow, "rule": rule} for flow, rule in sorted(keys)]}
    Path(given).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return keys


def apply_baseline(report: Report, keys: frozenset[Key]) -> Report:
    """The report without the findings the baseline records; the number hidden is kept in `baselined`."""
    hidden = 0
    results = []
    for result in report.results:
        kept = tuple(f for f in result.findings if not (f.counts and (f.flow, f.rule) in keys))
        hidden += len(result.findings) - len(kept)
        results.append(FlowResult(result.flow, kept))
    return dataclasses.replace(report, results=tuple(results), baselined=report.baselined + hidden)
