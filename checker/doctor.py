"""`ketencheck doctor`: what this installation would check with, and what is missing for it to check at all."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from checker import __version__, _subprocess
from checker.engine import EngineChoice, EngineSettings
from checker.errors import EngineError


@dataclass(frozen=True)
class Item:
    """One line of the diagnosis."""

    name: str
    value: str
    problem: str | None = None
    """Why ketencheck cannot check with this (the run exits non-zero); None when it is fine."""
    note: str | None = None
    """Something to know that does not stop a check (an OPA that is not the pinned one)."""


@dataclass(frozen=True)
class Diagnosis:
    """Every item, in the order shown."""

    items: tuple[Item, ...]

    @property
    def healthy(self) -> bool:
        """Whether ketencheck can check flows with what it found."""
        return all(item.problem is None for item in self.items)


def diagnose(settings: EngineSettings) -> Diagnosis:
    """Find OPA and the policy pack the way a check would; run `opa version`. Never raises for what is missing."""
    items = [
        Item("ketencheck", __version__),
        Item("python", f"{sys.version.split()[0]} ({sys.executable})"),
    ]
    if settings.engine is EngineChoice.SERVER:
        items.append(Item("opa", f"server {settings.pack_source()} (--engine server: its OPA and pack decide)"))
        return Diagnosis(tuple(items))
    items.append(_opa(settings))
    items.append(_pack(settings))
    return Diagnosis(tuple(items))


def _opa(settings: EngineSettings) -> Item:
    from checker.engine.opa_cli import OPA_NOT_FOUND, PINNED_OPA_VERSION, find_opa

    try:
        path = find_opa(settings.opa_path)
        done = _subprocess.run([path, "version"], timeout=settings.timeout)
    except EngineError as exc:
        return Item("opa", "not found", OPA_NOT_FOUND if "not found" in str(exc) else str(exc))
    match = re.search(r"^Version:\s*(\S+)", done.stdout.decode("utf-8", "replace"), re.MULTILINE)
    if done.returncode != 0 or match is None:
        return Item("opa", path, f"`{path} version` did not say its version: {_subprocess.tail(done.stderr)}")
    version = match.group(1)
    if version == PINNED_OPA_VERSION:
        return Item("opa", f"{path}: {version} (the pinned version)")
    return Item(
        "opa",
        f"{path}: {version}",
        note=f"not the pinned {PINNED_OPA_VERSION} the policy pack is tested with; verdicts may differ",
    )


def _pack(settings: EngineSettings) -> Item:
    from checker import bundle
    from checker.resources import policies_dir

    source = settings.pack_source()
    if settings.bundle is not None:
        if not settings.bundle.is_file():
            return Item("policy pack", source, f"{settings.bundle}: no such bundle")
        return Item("policy pack", f"{source} (its revision is in the bundle's manifest)")
    policies = settings.policies or policies_dir()
    if not Path(policies, "ketencheck").is_dir():
        return Item("policy pack", f"{policies} ({source})", f"{policies}: no ketencheck policy pack there")
    return Item("policy pack", f"revision {bundle.revision(policies)}, {source}: {policies}")
