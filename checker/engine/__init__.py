"""Policy engines: the protocol, and the choice of one (--engine) with how to reach it."""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass
from pathlib import Path
from typing import assert_never

from checker.engine.interface import Engine, Evaluation, Request
from checker.i18n import _


class EngineChoice(enum.StrEnum):
    """The values of --engine."""

    LOCAL = "local"
    """The opa binary, one process per run."""
    SERVER = "server"
    """An OPA server's REST API."""

    def misuse(self, settings: EngineSettings) -> str | None:
        """What in the options does not fit this engine, for a usage error (exit 2) before anything starts."""
        if self is EngineChoice.LOCAL:
            if settings.opa_url:
                return _("--opa-url needs --engine server")
            if settings.bundle and settings.policies:
                return _("give --bundle or --policies, not both")
            if settings.bundle and not settings.verification_key:
                return _("--bundle needs --verification-key: ketencheck does not run unsigned bundles")
            return None
        if self is EngineChoice.SERVER:
            if not settings.opa_url:
                return _("--engine server needs --opa-url")
            if settings.bundle or settings.policies or settings.opa_path:
                return _("--bundle, --policies and --opa are for --engine local; the server has its own pack")
            return None
        assert_never(self)

    def to_engine(self, settings: EngineSettings) -> Engine:
        """The engine for this choice; imported lazily so that a run loads only the one it uses."""
        if self is EngineChoice.LOCAL:
            from checker.engine.opa_cli import OpaCliEngine, find_opa

            return OpaCliEngine(
                find_opa(settings.opa_path),
                settings.policies,
                settings.timeout,
                settings.bundle,
                settings.verification_key,
            )
        if self is EngineChoice.SERVER:
            from checker.engine.opa_server import OpaServerEngine

            return OpaServerEngine(settings.opa_url or "", settings.opa_token, settings.timeout)
        assert_never(self)


@dataclass(frozen=True)
class EngineSettings:
    """How to reach the policy engine, from the options every evaluating command shares."""

    engine: EngineChoice = EngineChoice.LOCAL
    opa_path: str | None = None
    policies: Path | None = None
    bundle: Path | None = None
    verification_key: Path | None = None
    opa_url: str | None = None
    opa_token: str | None = None
    timeout: float = 60.0

    def pack_source(self) -> str:
        """Where the pack being evaluated comes from, for the report header: a swapped pack must show."""
        if self.engine is EngineChoice.SERVER and self.opa_url:
            from urllib.parse import urlsplit

            parts = urlsplit(self.opa_url)
            return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"
        if self.bundle is not None:
            return f"bundle {self.bundle}"
        if self.policies is not None:
            return f"{self.policies} (--policies)"
        override = os.environ.get("KETENCHECK_POLICIES")
        return f"{override} (KETENCHECK_POLICIES)" if override else "bundled"


__all__ = ["Engine", "EngineChoice", "EngineSettings", "Evaluation", "Request"]
