"""`ketencheck doctor`: what this installation would check with, and what is missing for it to check at all."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from checker import __version__, _subprocess
from checker.engine import EngineChoice, EngineSettings
from checker.errors import EngineError, EngineNotFound
from checker.i18n import _


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
        items.append(
            Item(
                "opa",
                _("server {source} (--engine server: its OPA and pack decide)").format(source=settings.pack_source()),
            )
        )
        return Diagnosis(tuple(items))
    items.append(_opa(settings))
    items.append(_pack(settings))
    return Diagnosis(tuple(items))


def _opa(settings: EngineSettings) -> Item:
    from checker.engine.opa_cli import PINNED_OPA_VERSION, find_opa, opa_not_found

    try:
        path = find_opa(settings.opa_path)
        done = _subprocess.run([path, "version"], timeout=settings.timeout)
    except EngineError as exc:
        # Not there at all (not merely not executable): say how to get it. Told by the error, not its words,
        # which are in the reader's language.
        missing = isinstance(exc, EngineNotFound) and not isinstance(exc.__cause__, PermissionError)
        return Item("opa", _("not found"), opa_not_found() if missing else str(exc))
    match = re.search(r"^Version:\s*(\S+)", done.stdout.decode("utf-8", "replace"), re.MULTILINE)
    if done.returncode != 0 or match is None:
        return Item(
            "opa",
            path,
            _("`{program} version` did not say its version: {output}").format(
                program=path, output=_subprocess.tail(done.stderr)
            ),
        )
    version = match.group(1)
    if version == PINNED_OPA_VERSION:
        return Item("opa", _("{path}: {version} (the pinned version)").format(path=path, version=version))
    return Item(
        "opa",
        f"{path}: {version}",
        note=_("not the pinned {version} the policy pack is tested with; verdicts may differ").format(
            version=PINNED_OPA_VERSION
        ),
    )


def _pack(settings: EngineSettings) -> Item:
    from checker import bundle
    from checker.resources import policies_dir

    source = settings.pack_source()
    if source == "bundled":
        # "bundled" is a word (the report header says it so too); any other source is a path or an address.
        source = _("bundled")
    if settings.bundle is not None:
        if not settings.bundle.is_file():
            return Item(_("policy pack"), source, _("{bundle}: no such bundle").format(bundle=settings.bundle))
        return Item(_("policy pack"), _("{source} (its revision is in the bundle's manifest)").format(source=source))
    policies = settings.policies or policies_dir()
    if not Path(policies, "ketencheck").is_dir():
        return Item(
            _("policy pack"),
            f"{policies} ({source})",
            _("{policies}: no ketencheck policy pack there").format(policies=policies),
        )
    return Item(
        _("policy pack"),
        _("revision {revision}, {source}: {policies}").format(
            revision=bundle.revision(policies), source=source, policies=policies
        ),
    )
