"""Typed errors. Library code raises these; only the CLI turns them into a message and an exit code."""

from __future__ import annotations


class CheckerError(Exception):
    """Base of every error ketencheck reports to a user."""


class InputError(CheckerError):
    """Input that cannot be used at all, such as a malformed waiver file (exit 2)."""


class EngineError(CheckerError):
    """The policy engine could not give a verdict: never a pass (exit 3)."""


class EngineNotFound(EngineError):
    """The ``opa`` binary is not where it was looked for."""


class EngineTimeout(EngineError):
    """The engine did not answer within the timeout."""


class EngineFailed(EngineError):
    """The engine ran but failed: a crash, a compile error in the policies, a non-zero exit."""


class EngineOutputError(EngineError):
    """The engine answered with something that is not a well-formed result."""
