"""Writing what ketencheck produces (reports, baselines) without following a link that stands where it writes."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from checker.errors import InputError
from checker.i18n import _


def replace_file(output: Path, text: str | bytes) -> None:
    """Write text to output through a new file renamed over it: an existing link is replaced, never followed.

    An --output or --out path in a checkout may be a committed link to ~/.bashrc or another repository's file.
    """
    if output.is_dir():
        raise InputError(_("{file}: is a directory").format(file=output))
    with contextlib.suppress(OSError):
        if _special(os.lstat(output).st_mode):
            # A device or a pipe (/dev/null, a FIFO) is written to, not replaced: renamed over, it would become a
            # file (as root, /dev/null itself) and the reader on the other end would get nothing.
            _write_through(output, text)
            return
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    except OSError as exc:
        raise InputError(_("{file}: cannot write: {problem}").format(file=output, problem=exc.strerror or exc)) from exc
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as fh:
                fh.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _special(mode: int) -> bool:
    return not (stat.S_ISREG(mode) or stat.S_ISLNK(mode) or stat.S_ISDIR(mode))


def _write_through(output: Path, text: str | bytes) -> None:
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    try:
        # O_NOFOLLOW: the node checked above, not a link put in its place since.
        fd = os.open(output, os.O_WRONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise InputError(_("{file}: cannot write: {problem}").format(file=output, problem=exc.strerror or exc)) from exc


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
