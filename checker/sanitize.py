"""Escaping of text ketencheck did not write itself, for every place it is shown: terminal, CI log, Markdown,
XML, JSON, CSV.

File names, descriptions, list items, waiver fields and engine messages come from whoever can commit to a flow
repository. Echoed raw, a newline starts a new CI log line (``::error``, ``::add-mask::`` are workflow
commands there), an ESC starts a terminal escape (OSC 8 links, window titles, colours), a code fence in a
list item closes the fence of a PR comment. Each function here makes such text inert for one context; the
formats call them on every value they did not compose, and compose their own structure (line breaks, colours)
around the result.
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL; line and paragraph separators; the bidirectional controls that reorder what a
# reviewer sees (Trojan Source); lone surrogates and the two XML 1.0 non-characters, which no output can carry.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: object) -> str:
    """The text on one line with every control character shown as an escape (``\\n``, ``\\x1b``, ``\\u202e``)."""
    value = str(text)
    return value if _UNSAFE.search(value) is None else _UNSAFE.sub(_escape, value)


def printable_lines(text: object) -> list[str]:
    """Multi-line text ketencheck composed (a suggested fix): its lines, each made printable.

    Split on ``\\n`` only: str.splitlines would also break at ``\\r``, ``\\x0b`` or ``\\u2028`` inside a value.
    """
    return [printable(line) for line in str(text).split("\n")]


def json_safe(document: str) -> str:
    """Encoded JSON with the controls that JSON encoders pass through (DEL, C1, U+2028, bidi) as ``\\uXXXX``.

    Lossless: those characters can only occur inside JSON strings, where the escape means the same character.
    """
    if document.isascii() and "\x7f" not in document:
        # Every character escaped here but DEL is outside ASCII; both tests cost next to nothing (a 7 MB report:
        # the substitution took 22 ms).
        return document
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")

_MD_SPECIAL = re.compile(r"[|`<\\]|@|!\[")
_MD_REPLACE = {"|": "\\|", "`": "\\`", "<": "&lt;", "\\": "\\\\", "@": "@\u200b", "![": "!\\["}


def markdown_text(text: object) -> str:
    """Untrusted text inline in Markdown (a table cell, a list item): one line; pipes, backticks, HTML and
    backslashes escaped; @mentions and images neutralised (``@`` becomes ``@`` + zero-width space)."""
    value = " ".join(printable(text).split())
    return _MD_SPECIAL.sub(lambda m: _MD_REPLACE[m.group()], value)


def markdown_code(text: object, in_table: bool = False) -> str:
    """Untrusted text as an inline code span, fenced by more backticks than any run inside it."""
    value = printable(text)
    if in_table:
        # GitHub splits table rows at | even inside code spans; \| is its escape there.
        value = value.replace("|", "\\|")
    fence = "`" * (_longest_backtick_run(value) + 1)
    pad = " " if value.startswith(("`", " ")) or value.endswith(("`", " ")) else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def markdown_fence(content: str, info: str = "") -> list[str]:
    """A fenced code block around content, its fence longer than any backtick run inside (so nothing closes it)."""
    lines = printable_lines(content)
    fence = "`" * max(3, _longest_backtick_run(content) + 1)
    return [fence + info, *lines, fence]


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall("`+", text)), default=0)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A CSV text cell that a spreadsheet will not run as a formula: OWASP's leading single quote."""
    return "'" + text if text.startswith(_FORMULA_START) else text
