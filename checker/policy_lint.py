"""`ketencheck policy lint`: the pre-commit check of policy changes, with the same opa the checks run on.

Formatting is checked per changed file; compilation (`opa check --strict`) always on the whole policy
directory, because a rule package cannot be compiled without the libraries it imports.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from checker import _subprocess
from checker.i18n import _


def lint(opa: str, files: Sequence[str], policies: Path, timeout: float) -> list[str]:
    """Every problem found, one message each; an empty list when the policies are clean."""
    problems: list[str] = []
    rego = [f for f in files if f.endswith(".rego")]
    if rego:
        # `--`: a changed file named like an opa flag is still a file.
        done = _subprocess.run([opa, "fmt", "--list", "--fail", "--", *rego], timeout=timeout)
        listed = [line for line in done.stdout.decode("utf-8", "replace").splitlines() if line.strip()]
        unformatted = _("{file}: not formatted as `opa fmt` would (run `opa fmt -w {file}`)")
        problems += [unformatted.format(file=name) for name in listed]
        if done.returncode != 0 and not listed:
            problems.append(
                _first_lines(done.stderr) or _("opa fmt exited with code {code}").format(code=done.returncode)
            )
    done = _subprocess.run([opa, "check", "--strict", "--", str(policies)], timeout=timeout)
    if done.returncode != 0:
        problems.append(
            _first_lines(done.stderr) or _("opa check exited with code {code}").format(code=done.returncode)
        )
    return problems


def _first_lines(data: bytes, limit: int = 20) -> str:
    lines = data.decode("utf-8", "replace").strip().splitlines()
    return "\n".join(lines[:limit])
