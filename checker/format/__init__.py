"""Output formats, chosen by name on the command line."""

from __future__ import annotations

import enum
from typing import assert_never

from checker.format.interface import Formatter


class FormatChoice(enum.StrEnum):
    """The values of --format."""

    TEXT = "text"
    JSON = "json"

    def to_formatter(self, color: bool = False) -> Formatter:
        """The formatter for this choice; imported lazily so that a run loads only the one it uses."""
        if self is FormatChoice.TEXT:
            from checker.format.text import TextFormat

            return TextFormat(color=color)
        if self is FormatChoice.JSON:
            from checker.format.json import JsonFormat

            return JsonFormat()
        assert_never(self)


__all__ = ["FormatChoice", "Formatter"]
