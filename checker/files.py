"""Writing what ketencheck produces (reports, baselines) without following a link that stands where it writes."""

from __future__ import annotations

import contextlib
import os
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
