"""Flows as YAML a person can paste into a flow file: keys in the contract's order, lists on one line."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

_ORDER = (
    "id",
    "description",
    "from",
    "to",
    "document",
    "form",
    "fields",
    "purpose",
    "legal_basis",
    "channel",
    "retention",
    "volume",
    "dpia",
)
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
# Plain scalars YAML would read as something other than the text written.
_NOT_TEXT = re.compile(r"(?i)(true|false|yes|no|on|off|null|~|[-+]?[0-9][0-9_.:eE+-]*)")


def scalar(value: Any) -> str:
    """One YAML scalar: plain where that reads back as the same text, JSON-quoted otherwise."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and not _NOT_TEXT.fullmatch(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def flow_yaml(flow: Mapping[str, Any], indent: str = "") -> str:
    """A flow as a YAML list entry ("- id: ..."), known keys first in the contract's order."""
    keys = [k for k in _ORDER if k in flow] + sorted(k for k in flow if k not in _ORDER)
    lines = []
    for n, key in enumerate(keys):
        value = flow[key]
        text = "[" + ", ".join(scalar(v) for v in value) + "]" if isinstance(value, list) else scalar(value)
        lines.append(f"{indent}{'- ' if n == 0 else '  '}{key}: {text}")
    return "\n".join(lines) + "\n"
