"""Baselines: record today's findings so that a gate reports only new ones (--baseline, --write-baseline).

An entry accepts a finding, not a rule: it records the flow id, the rule, the finding's subject and the digest of
the flow's judged content, so a flow that is changed (or a later flow that reuses the id) is reported again.
Never matched by line: moving a flow within its file, or to another file, keeps it baselined. Findings that mean
the flow could not be judged (custom.waivable: false) are never baselined. Entries that match nothing are
reported as stale (a warning), as Checkov and Trivy report theirs. Version 1 baselines (flow and rule only) are
still read, with a warning. A baseline is a reviewed file in the repository, so it is written sorted and stable.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.errors import InputError
from checker.files import replace_file
from checker.i18n import _
from checker.model import Finding, FlowId, Notice, Report, RuleName

CURRENT_VERSION = 2


@dataclass(frozen=True)
class Entry:
    """One accepted finding; subject and digest are None in a version 1 baseline."""

    flow: FlowId
    rule: RuleName
    subject: str | None = None
    """The finding's subject as canonical JSON."""
    digest: str | None = None

    def matches(self, finding: Finding) -> bool:
        """Whether this entry accepts the finding."""
        if not finding.waivable or (self.flow, self.rule) != (finding.flow, finding.rule):
            return False
        return self.digest is None or (self.digest, self.subject) == (finding.digest, _canonical(finding.subject))


@dataclass(frozen=True)
class Baseline:
    """The entries of a baseline file, and where they came from."""

    file: str
    version: int
    entries: tuple[Entry, ...]


def read_baseline(given: str) -> Baseline:
    """The entries a baseline file records."""
    try:
        document: Any = json.loads(Path(given).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(
            _("{file}: baseline file not found (write one with --write-baseline)").format(file=given)
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(_("{file}: cannot read the baseline: {problem}").format(file=given, problem=exc)) from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            _("{file}:{line}: invalid JSON in the baseline: {problem}").format(
                file=given, line=exc.lineno, problem=exc.msg
            )
        ) from exc
    version = document.get("version") if isinstance(document, dict) else None
    entries = document.get("findings") if isinstance(version, int) and version in (1, 2) else None
    needed = ("flow", "rule") if version == 1 else ("flow", "rule", "digest")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict)
        and all(isinstance(e.get(k), str) for k in needed)
        and (version == 1 or isinstance(e.get("subject"), dict))
        for e in entries
    ):
        raise InputError(
            _("{file}: not a ketencheck baseline (expected {shape}, or version 1 with flow and rule)").format(
                file=given, shape='{"version": 2, "findings": [{"flow", "rule", "subject", "digest"}]}'
            )
        )
    assert isinstance(version, int)  # checked with the entries above
    return Baseline(
        given,
        version,
        tuple(
            Entry(
                FlowId(e["flow"]),
                RuleName(e["rule"]),
                _canonical(e["subject"]) if version == 2 else None,
                e["digest"] if version == 2 else None,
            )
            for e in entries
        ),
    )


def write_baseline(given: str, report: Report) -> Baseline:
    """Write every finding that counts today and can be accepted (waived ones are already accounted for) as the
    baseline file; what it records, to apply without reading the file back."""
    found = {
        (f.flow, f.rule, _canonical(f.subject), f.digest): f
        for r in report.results
        for f in r.findings
        if f.counts and f.waivable
    }
    document = {
        "version": CURRENT_VERSION,
        "findings": [
            {"flow": f.flow, "rule": f.rule, "subject": dict(f.subject), "digest": f.digest}
            for _, f in sorted(found.items(), key=lambda item: item[0])
        ],
    }
    # A committed link at the baseline path is replaced, never followed (as for --output).
    replace_file(Path(given), json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    entries = tuple(Entry(flow, rule, subject, digest) for flow, rule, subject, digest in sorted(found))
    return Baseline(given, CURRENT_VERSION, entries)


def apply_baseline(report: Report, baseline: Baseline, evaluated: Sequence[Finding] | None = None) -> Report:
    """The report with the findings the baseline accepts marked baselined: still shown, no longer counted.

    An entry that accepts no finding of the run (`evaluated`: every finding, context flows included) is stale.
    """
    by_key: dict[tuple[str, str], list[Entry]] = {}
    for entry in baseline.entries:
        by_key.setdefault((entry.flow, entry.rule), []).append(entry)
    results = []
    for result in report.results:
        # Marked, not removed: a baselined flow is a denied flow accepted for now, and every format says so.
        marked = tuple(
            dataclasses.replace(f, baselined=True) if f.counts and _accepted(f, by_key) else f for f in result.findings
        )
        results.append(dataclasses.replace(result, findings=marked))
    everything = evaluated if evaluated is not None else [f for r in report.results for f in r.findings]
    used = {id(e) for f in everything if f.counts for e in by_key.get((f.flow, f.rule), []) if e.matches(f)}
    notices = list(report.notices)
    if baseline.version < CURRENT_VERSION:
        notices.append(
            _notice(
                baseline.file,
                "baseline_unbound",
                N_(
                    "a version {version} baseline: its entries name only flow and rule, so they also hide "
                    "whatever a flow is changed into; rewrite it with --write-baseline"
                ),
                version=str(baseline.version),
            )
        )
    notices.extend(
        _notice(
            baseline.file,
            "baseline_stale",
            N_(
                "baseline entry for {rule} on {flow} matches no finding: the flow was changed, fixed or "
                "removed (or the finding cannot be baselined); remove the entry or rewrite the baseline with "
                "--write-baseline"
            ),
            rule=entry.rule,
            flow=entry.flow,
        )
        for entry in baseline.entries
        if id(entry) not in used
    )
    return dataclasses.replace(report, results=tuple(results), notices=tuple(notices))


def _accepted(finding: Finding, by_key: dict[tuple[str, str], list[Entry]]) -> bool:
    return any(e.matches(finding) for e in by_key.get((finding.flow, finding.rule), []))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def N_(text: str) -> str:  # noqa: N802 - gettext's name for a text marked for extraction, translated where shown
    return text


def _notice(file: str, kind: str, template: str, **arguments: str) -> Notice:
    # The English message for the JSON report, the template and its values for a report in another language.
    return Notice(file, None, kind, template.format(**arguments), template, arguments)
