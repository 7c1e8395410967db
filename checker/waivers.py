"""Reading a waiver file: accountable, expiring acceptance of named findings (schemas/waivers.json).

A waiver file that cannot be used is an InputError (exit 2) naming the file and line. The run does not go on
without it: a gate that quietly dropped the waivers would report findings the organisation had accepted, and
one that guessed would hide findings nobody accepted.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from checker.errors import InputError
from checker.loader import FileProblem, Limits, read_document
from checker.model import FlowId, RuleName, Waiver
from checker.schema import validate


def load_waivers(given: str, limits: Limits | None = None) -> tuple[Waiver, ...]:
    """The waivers of one file, in file order; at most one per flow and rule."""
    limits = limits or Limits()
    path = Path(given)
    if not path.is_file():
        raise InputError(f"{given}: waiver file not found")
    try:
        document, lines = read_document(given, path, limits)
    except FileProblem as problem:
        raise InputError(_where(given, problem.line) + problem.message) from problem
    problems = validate(document, "waivers.json")
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(_where(given, lines.line_of(first.path)) + first.message + more)
    waivers: list[Waiver] = []
    seen: dict[tuple[str, str], int] = {}
    for i, entry in enumerate(document["waivers"]):
        line = lines.line_of(("waivers", i)) or 1
        try:
            expires = datetime.date.fromisoformat(entry["expires"])
        except ValueError as exc:
            raise InputError(f"{given}:{line}: waivers[{i}].expires: {entry['expires']} is not a date") from exc
        key = (entry["flow"], entry["rule"])
        if key in seen:
            raise InputError(
                f"{given}:{line}: waivers[{i}]: a second waiver for {entry['rule']} on {entry['flow']} "
                f"(the first is at line {seen[key]})"
            )
        seen[key] = line
        waivers.append(
            Waiver(
                FlowId(entry["flow"]),
                RuleName(entry["rule"]),
                entry["justification"].strip(),
                entry["approver"].strip(),
                entry["dpia"].strip(),
                expires,
                given,
                line,
            )
        )
    return tuple(waivers)


def _where(given: str, line: int | None) -> str:
    return f"{given}:{line}: " if line else f"{given}: "
