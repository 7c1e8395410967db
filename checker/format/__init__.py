"""Output formats, chosen by name on the command line."""

from __future__ import annotations

import enum
from typing import assert_never

from checker.format.interface import Formatter


class FormatChoice(enum.StrEnum):
    """The values of --format."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"
    GITHUB = "github"
    MARKDOWN = "markdown"

    @property
    def needs_rules(self) -> bool:
        """Whether the format describes every rule of the pack (and so needs their METADATA)."""
        return self is FormatChoice.SARIF

    def to_formatter(self, color: bool = False) -> Formatter:
        """The formatter for this choice; imported lazily so that a run loads only the one it uses."""
        if self is FormatChoice.TEXT:
            from checker.format.text import TextFormat

            return TextFormat(color=color)
        if self is FormatChoice.JSON:
            from checker.format.json import JsonFormat

            return JsonFormat()
        if self is FormatChoice.SARIF:
            from checker.format.sarif import SarifFormat

            return SarifFormat()
        if self is FormatChoice.JUNIT:
            from checker.format.junit import JunitFormat

            return JunitFormat()
        if self is FormatChoice.GITHUB:
            from checker.format.github import GithubFormat

            return GithubFormat()
        if self is FormatChoice.MARKDOWN:
            from checker.format.markdown import MarkdownFormat

            return MarkdownFormat()
        assert_never(self)


__all__ = ["FormatChoice", "Formatter"]
