"""What every output format does: turn a report into text."""

from __future__ import annotations

from typing import Protocol

from checker.model import Report


class Formatter(Protocol):
    """Renders a report; the CLI decides where the text goes."""

    def render(self, report: Report) -> str:
        """The whole output for one run, ending in a newline."""
        ...
