"""The reader's language, chosen once per process: `--lang`, else the locale of the environment as gettext reads it.

Everything a person reads goes through gettext catalogues under checker/locale/: the English text is the msgid, the
Dutch text its translation, so that English output is exactly what it was before the catalogues and a missing
translation is found by a test (tests/test_i18n.py), not shown to a reader. Each part of the harness keeps its own
domain (one .po file per area), so that one change does not touch every other area's catalogue:

    cli       the command line: usage, input and engine errors
    formats   text, Markdown, GitHub, JUnit and SARIF output
    audit     the audit report: HTML, Markdown, the register
    pack      explain, catalogue and policy docs
    findings  the findings' messages and fixes, by message_id (English and Dutch both, see checker/messages.py)
    analysis  policy exposure, verify and diff, decide's text, the engine's and the templates' errors

`make locale` compiles the .po files into the .mo files gettext reads; a test keeps the two in step.
"""

from __future__ import annotations

import enum
import gettext
import os
from collections.abc import Mapping
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
"""<lang>/LC_MESSAGES/<domain>.po and .mo."""

UI_DOMAINS = ("cli", "formats", "audit", "pack", "analysis")
"""The domains whose msgid is the English text: `_()` looks a text up in each of them, in this order."""


class Lang(enum.StrEnum):
    """The values of --lang."""

    EN = "en"
    NL = "nl"


def from_environment(environ: Mapping[str, str] | None = None) -> Lang:
    """The language the environment asks for, read as Python's gettext does: the first of LANGUAGE, LC_ALL,
    LC_MESSAGES and LANG that is set gives a list of languages (LANGUAGE may list several, "fr:nl"), and the first
    one ketencheck has decides; Dutch for nl (nl_NL.UTF-8, nl_BE, nl), English otherwise."""
    env = os.environ if environ is None else environ
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value:
            wanted = [entry.lower().split("_")[0].split(".")[0].split("@")[0] for entry in value.split(":")]
            return next((Lang(w) for w in wanted if w in ("nl", "en")), Lang.EN)
    return Lang.EN


def translations(lang: Lang, domains: tuple[str, ...] = UI_DOMAINS) -> gettext.NullTranslations:
    """The catalogues of the given domains in one language, chained: the first that has a text translates it. English
    needs none: its texts are the msgids."""
    chained: gettext.NullTranslations = gettext.NullTranslations()
    for domain in domains:
        found = gettext.translation(domain, LOCALE_DIR, languages=[lang.value], fallback=True)
        chained.add_fallback(found)
    return chained


class _State:
    # One language per process, as with gettext.install(): the CLI sets it once, before anything is rendered.
    lang = Lang.EN
    catalogue: gettext.NullTranslations = gettext.NullTranslations()


def use(lang: Lang) -> None:
    """Render everything from now on in this language."""
    _State.lang = lang
    _State.catalogue = translations(lang) if lang is not Lang.EN else gettext.NullTranslations()


def current() -> Lang:
    """The language in use."""
    return _State.lang


def _(message: str) -> str:
    """The text in the language in use; the English text itself when a catalogue lacks it."""
    return _State.catalogue.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural text for n, in the language in use."""
    return _State.catalogue.ngettext(singular, plural, n)
