"""The one place that starts a process: an argument list, never a shell, always a timeout."""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from checker.errors import EngineFailed, EngineNotFound, EngineTimeout
from checker.i18n import _


@dataclass(frozen=True)
class Completed:
    """A finished process: its exit code and both outputs."""

    returncode: int
    stdout: bytes
    stderr: bytes
    stdout_full: bool = False
    """stdout went to a temporary file whose file system was (nearly) full when the process ended: a write of it
    may have failed. opa does not check its writes to stdout: it then exits 0 with its answer cut short."""


def run(
    args: Sequence[str],
    *,
    stdin: bytes | None = None,
    timeout: float,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stdout_to_file: bool = False,
) -> Completed:
    """Run args to completion; raise a typed EngineError when it cannot start or takes too long.

    A non-zero exit is returned, not raised: what it means depends on the command. stdout_to_file: the output goes
    to an unnamed temporary file, read once the process has ended, instead of collecting in this process while the
    child still runs (opa at 100,000 flows: 36 MB held beside its own peak of about 1 GB).
    """
    with contextlib.ExitStack() as stack:
        output: IO[bytes] | None = None
        if stdout_to_file:
            with contextlib.suppress(OSError):  # no writable temporary directory: through the pipe, as before
                output = stack.enter_context(tempfile.TemporaryFile(prefix="ketencheck-"))
        proc = _run(args, stdin, timeout, env, cwd, output)
        full = False
        if output is not None:
            output.seek(0)
            proc.stdout = output.read()
            full = _nearly_full(output)
    return Completed(proc.returncode, proc.stdout, proc.stderr, full)


# Less room than this left beside the answer: a write of it may have been refused (a block, a page, a reserve).
_FULL_BYTES = 64 * 1024


def _nearly_full(output: IO[bytes]) -> bool:
    try:
        space = os.fstatvfs(output.fileno())
    except OSError:
        return False
    return space.f_bavail * space.f_frsize < _FULL_BYTES


def _run(
    args: Sequence[str],
    stdin: bytes | None,
    timeout: float,
    env: Mapping[str, str] | None,
    cwd: Path | None,
    output: IO[bytes] | None,
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(  # noqa: S603 - an argument list, no shell
            list(args),
            input=stdin,
            stdout=subprocess.PIPE if output is None else output,
            stderr=subprocess.PIPE,
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


def tail(data: bytes, limit: int = 500) -> str:
    """The end of a process's output as text, for an error message: tools put the reason last."""
    text = data.decode("utf-8", "replace").strip()
    return text[-limit:] if text else _("(no output)")
