"""The one place that starts a process: an argument list, never a shell, always a timeout."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from checker.errors import EngineFailed, EngineNotFound, EngineTimeout
from checker.i18n import _


@dataclass(frozen=True)
class Completed:
    """A finished process: its exit code and both outputs."""

    returncode: int
    stdout: bytes
    stderr: bytes


def run(
    args: Sequence[str],
    *,
    stdin: bytes | None = None,
    timeout: float,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Completed:
    """Run args to completion; raise a typed EngineError when it cannot start or takes too long.

    A non-zero exit is returned, not raised: what it means depends on the command.
    """
    try:
        proc = subprocess.run(  # noqa: S603 - an argument list, no shell
            list(args),
            input=stdin,
            capture_output=True,
            timeout=timeout,
            check=False,
            env=None if env is None else dict(env),
            cwd=cwd,
        )
    except FileNotFoundError as exc:
        raise EngineNotFound(_("{program}: not found").format(program=args[0])) from exc
    except PermissionError as exc:
        raise EngineNotFound(_("{program}: not executable").format(program=args[0])) from exc
    except subprocess.TimeoutExpired as exc:
        # subprocess.run kills the child on timeout before raising.
        raise EngineTimeout(
            _("{program} did not finish within {seconds} s (--timeout)").format(program=args[0], seconds=f"{timeout:g}")
        ) from exc
    except OSError as exc:
        raise EngineFailed(
            _("{program}: cannot start: {problem}").format(program=args[0], problem=exc.strerror or exc)
        ) from exc
    return Completed(proc.returncode, proc.stdout, proc.stderr)


def tail(data: bytes, limit: int = 500) -> str:
    """The end of a process's output as text, for an error message: tools put the reason last."""
    text = data.decode("utf-8", "replace").strip()
    return text[-limit:] if text else _("(no output)")
