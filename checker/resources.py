"""Where the policy pack and the schemas are: inside an installed wheel, or beside the package in a checkout."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    # A wheel carries the folders as checker/_pack/<name> (see pyproject.toml); an editable install or a
    # checkout has them at the project root, one level up.
    for candidate in (_PACKAGE / "_pack" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    return _PACKAGE.parent / name


def policies_dir() -> Path:
    """The policy pack: KETENCHECK_POLICIES when set (a pack under review, a mutant), else the bundled one."""
    override = os.environ.get("KETENCHECK_POLICIES")
    return Path(override) if override else _find("policies")


def schemas_dir() -> Path:
    """The bundled JSON Schemas."""
    return _find("schemas")
