"""The translation catalogues: compiled in step with their sources, and the language chosen as gettext does."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from checker import i18n
from checker.i18n import Lang

CATALOGUES = sorted(i18n.LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(i18n.LOCALE_DIR)))
def test_the_compiled_catalogue_is_in_step_with_its_source(po: Path) -> None:
    with po.open("rb") as source:
        catalogue = read_po(source)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    mo = po.with_suffix(".mo")
    assert mo.is_file(), f"{mo} is missing: run `make locale`"
    assert mo.read_bytes() == compiled.getvalue(), f"{mo} is stale: run `make locale`"


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({"LANG": "nl_NL.UTF-8"}, Lang.NL),
        ({"LANG": "nl_BE"}, Lang.NL),
        ({"LANG": "en_GB.UTF-8"}, Lang.EN),
        ({"LANG": "C.UTF-8"}, Lang.EN),
        ({}, Lang.EN),
        # gettext's order: LANGUAGE, then LC_ALL, LC_MESSAGES, LANG; the first that is set decides.
        ({"LANGUAGE": "nl:en", "LANG": "en_US.UTF-8"}, Lang.NL),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "nl_NL.UTF-8"}, Lang.EN),
        ({"LC_MESSAGES": "nl_NL.UTF-8", "LANG": "en_US.UTF-8"}, Lang.NL),
        ({"LANGUAGE": "", "LANG": "nl_NL.UTF-8"}, Lang.NL),
    ],
)
def test_the_language_follows_the_environment_as_gettext_reads_it(environ: dict[str, str], lang: Lang) -> None:
    assert i18n.from_environment(environ) is lang
