"""Reading and extending a waiver file: accountable, expiring acceptance of named findings (schemas/waivers.json).

A waiver file that cannot be used is an InputError (exit 2) naming the file and line. The run does not go on
without it: a gate that quietly dropped the waivers would report findings the organisation had accepted, and
one that guessed would hide findings nobody accepted.

Version 2 entries name the finding they accept (its subject) and the digest of the flow's judged content, both
as the policies computed them; `ketencheck waiver add` writes them, so nobody computes a digest by hand.
Version 1 entries (flow and rule only) are still read; the policies apply them, reported as unbound.
"""

from __future__ import annotations

import datetime
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from checker.errors import InputError
from checker.i18n import _
from checker.loader import FileProblem, Limits, read_document
from checker.model import Finding, FlowId, RuleName, Waiver
from checker.schema import validate

CURRENT_VERSION = 2


def load_waivers(given: str, limits: Limits | None = None) -> tuple[Waiver, ...]:
    """The waivers of one file, in file order; at most one per finding (flow, rule, subject and digest)."""
    return _load(given, given, limits)[1]


def _load(given: str, path_text: str, limits: Limits | None) -> tuple[int, tuple[Waiver, ...]]:
    limits = limits or Limits()
    path = Path(path_text)
    if not path.is_file():
        raise InputError(_("{file}: waiver file not found").format(file=given))
    try:
        document, lines = read_document(given, path, limits)
    except FileProblem as problem:
        raise InputError(_where(given, problem.line) + problem.message) from problem
    problems = validate(document, "waivers.json")
    if problems:
        first = problems[0]
        more = _(" (and {count} more)").format(count=len(problems) - 1) if len(problems) > 1 else ""
        raise InputError(_where(given, lines.line_of(first.path)) + first.message + more)
    version = int(document["version"])
    waivers: list[Waiver] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for i, entry in enumerate(document["waivers"]):
        line = lines.line_of(("waivers", i)) or 1
        try:
            expires = datetime.date.fromisoformat(entry["expires"])
        except ValueError as exc:
            raise InputError(
                _("{file}:{line}: waivers[{index}].expires: {value} is not a date").format(
                    file=given, line=line, index=i, value=entry["expires"]
                )
            ) from exc
        subject = entry.get("subject")
        digest = entry.get("digest")
        key = (entry["flow"], entry["rule"], canonical(subject), digest or "")
        if key in seen:
            second = (
                _(
                    "{file}:{line}: waivers[{index}]: a second waiver for {rule} on {flow} with the same subject and "
                    "digest (the first is at line {first})"
                )
                if version == 2
                else _(
                    "{file}:{line}: waivers[{index}]: a second waiver for {rule} on {flow} "
                    "(the first is at line {first})"
                )
            )
            raise InputError(
                second.format(file=given, line=line, index=i, rule=entry["rule"], flow=entry["flow"], first=seen[key])
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
                subject,
                digest,
            )
        )
    return version, tuple(waivers)


def canonical(value: Any) -> str:
    """A value as canonical JSON (keys sorted, no spaces), to compare subjects read from files."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def waiver_entry(
    finding: Finding, justification: str, approver: str, expires: datetime.date, dpia: str
) -> dict[str, Any]:
    """The version 2 entry that accepts exactly this finding."""
    return {
        "flow": finding.flow,
        "rule": finding.rule,
        "subject": _plain(finding.subject),
        "digest": finding.digest,
        "justification": justification.strip(),
        "approver": approver.strip(),
        "dpia": dpia.strip(),
        "expires": expires.isoformat(),
    }


def refuse_link(given: str) -> None:
    """Refuse a waiver file that is a link: a committed link could point anywhere (~/.bashrc, another
    repository), and appending would write there."""
    if Path(given).is_symlink():
        raise InputError(
            _("{file}: is a link; waiver add appends only to a regular file (name the file it points to)").format(
                file=given
            )
        )


def append_waivers(given: str, entries: list[dict[str, Any]], limits: Limits | None = None) -> tuple[int, ...]:
    """Append version 2 entries to a waiver file (created when missing) as text, leaving what is there byte for
    byte; the line of each new entry.

    The new text is parsed back before the file is touched: an entry that would not read back as written (a
    waivers list in flow style, a JSON file, keys after the list) is refused instead of written.
    """
    path = Path(given)
    if path.suffix.lower() == ".json":
        raise InputError(_("{file}: waiver add writes YAML; name a .yaml waiver file").format(file=given))
    refuse_link(given)
    for entry in entries:
        problems = validate({"version": CURRENT_VERSION, "waivers": [entry]}, "waivers.json")
        if problems:
            key = problems[0].path[-1] if problems[0].path else ""
            raise InputError(f"--{key}: {problems[0].message.split(': ', 1)[-1]}")
    if path.exists():
        version, existing = _load(given, given, limits)
        if version != CURRENT_VERSION:
            raise InputError(
                _(
                    "{file}: a version 1 waiver file: its waivers are not bound to the flows' content, and a version "
                    "2 entry cannot be added to it; write the new waivers into a new file (--waivers NEW.yaml), "
                    "re-approve each old waiver there with `ketencheck waiver add`, then delete {file}"
                ).format(file=given)
            )
        old = path.read_text(encoding="utf-8-sig")
        indent = _entry_indent(old, existing[0].line if existing else 1)
        prefix = old if old.endswith("\n") else old + "\n"
    else:
        existing = ()
        indent = "  "
        prefix = (
            "# Accepted findings, each bound to its flow's content: written by `ketencheck waiver add`.\n"
            f"version: {CURRENT_VERSION}\nwaivers:\n"
        )
    block = "".join(_entry_text(entry, indent) for entry in entries)
    text = prefix + block
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch) / (path.name or "waivers.yaml")
        trial.write_text(text, encoding="utf-8")
        try:
            _version, readback = _load(given, str(trial), limits)
        except InputError as exc:
            raise InputError(
                _("{file}: cannot append to this file and keep it valid ({problem}); add the entry by hand:").format(
                    file=given, problem=exc
                )
                + "\n"
                + block
            ) from exc
    added = readback[len(existing) :]
    if len(added) != len(entries) or any(
        (w.flow, w.rule, canonical(w.subject), w.digest) != (e["flow"], e["rule"], canonical(e["subject"]), e["digest"])
        for w, e in zip(added, entries, strict=False)
    ):
        raise InputError(
            _("{file}: the waivers list is not the last part of the file; add the entry by hand:").format(file=given)
            + "\n"
            + block
        )
    if path.exists():
        with path.open("a", encoding="utf-8") as out:
            out.write(text[len(old) :])
    else:
        path.write_text(text, encoding="utf-8")
    return tuple(w.line for w in added)


def _entry_text(entry: Mapping[str, Any], indent: str) -> str:
    # yaml.safe_dump quotes what needs quoting (a date-like string, a leading '-', ...); the read-back checks it.
    dumped = yaml.safe_dump([dict(entry)], sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)
    return "".join(indent + line + "\n" for line in dumped.splitlines())


def _entry_indent(text: str, line: int) -> str:
    # New entries must line up with the first one, which may sit at the key's column or be indented.
    lines = text.splitlines()
    first = lines[line - 1] if 0 < line <= len(lines) else "  - "
    return first[: len(first) - len(first.lstrip(" "))]


def _plain(value: Any) -> Any:
    # The subject as plain lists and mappings, for YAML.
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _where(given: str, line: int | None) -> str:
    return f"{given}:{line}: " if line else f"{given}: "
