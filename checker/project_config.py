"""The options a repository always uses, from `.ketencheck.yaml` or `[tool.ketencheck]` in `pyproject.toml`.

Read from the directory ketencheck runs in; options given on the command line win (they are click defaults).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import yaml

from checker.errors import InputError
from checker.i18n import _

FILES = (".ketencheck.yaml", "pyproject.toml")

# Config key -> (check's parameter name, whether it takes a list).
_KEYS = {
    "waivers": ("waivers_file", False),
    "baseline": ("baseline_file", False),
    "context": ("context_paths", True),
    "fail-on": ("fail_on", False),
    "lang": ("lang", False),
}
_FAIL_ON = ("error", "warning")
_LANGS = ("en", "nl")


def check_defaults(directory: Path) -> tuple[str | None, dict[str, Any]]:
    """The file read (None when there is none) and the defaults it gives `check`, by parameter name."""
    yaml_file = directory / FILES[0]
    if yaml_file.is_file():
        try:
            settings = yaml.safe_load(yaml_file.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise InputError(_("{file}: not readable YAML ({problem})").format(file=yaml_file, problem=exc)) from exc
        return str(yaml_file), _defaults(str(yaml_file), settings)
    pyproject = directory / FILES[1]
    if pyproject.is_file():
        try:
            document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(_("{file}: not readable TOML ({problem})").format(file=pyproject, problem=exc)) from exc
        settings = document.get("tool", {}).get("ketencheck")
        if settings is not None:
            return f"{pyproject} [tool.ketencheck]", _defaults(f"{pyproject} [tool.ketencheck]", settings)
    return None, {}


def _defaults(source: str, settings: Any) -> dict[str, Any]:
    if not isinstance(settings, dict):
        raise InputError(_("{source}: must be a mapping of {keys}").format(source=source, keys=", ".join(_KEYS)))
    unknown = sorted(str(k) for k in settings if k not in _KEYS)
    if unknown:
        raise InputError(
            _("{source}: unknown key(s) {unknown}; known: {known}").format(
                source=source, unknown=", ".join(unknown), known=", ".join(_KEYS)
            )
        )
    defaults: dict[str, Any] = {}
    for key, value in settings.items():
        name, is_list = _KEYS[key]
        values = value if is_list and isinstance(value, list) else [value] if is_list else value
        if is_list:
            if not values or not all(isinstance(v, str) and v.strip() for v in values):
                raise InputError(_("{source}: {key} must be a path or a list of paths").format(source=source, key=key))
            defaults[name] = tuple(values)
        elif not isinstance(values, str) or not values.strip():
            raise InputError(_("{source}: {key} must be text").format(source=source, key=key))
        elif key == "fail-on" and values not in _FAIL_ON:
            raise InputError(
                _("{source}: fail-on must be one of {values}").format(source=source, values=", ".join(_FAIL_ON))
            )
        elif key == "lang" and values not in _LANGS:
            raise InputError(
                _("{source}: lang must be one of {values}").format(source=source, values=", ".join(_LANGS))
            )
        else:
            defaults[name] = values
    return defaults
