"""The translation catalogues: compiled in step with their sources, and the language chosen as gettext does."""

from __future__ import annotations

import ast
import io
import json
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Message
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
        # A list: the first language ketencheck has decides, as gettext skips one it has no catalogue for.
        ({"LANGUAGE": "fr:nl", "LANG": "C.UTF-8"}, Lang.NL),
        ({"LANGUAGE": "en_GB:nl", "LANG": "nl_NL.UTF-8"}, Lang.EN),
        ({"LANGUAGE": "fr", "LANG": "nl_NL.UTF-8"}, Lang.EN),
    ],
)
def test_the_language_follows_the_environment_as_gettext_reads_it(environ: dict[str, str], lang: Lang) -> None:
    assert i18n.from_environment(environ) is lang


# Every text a person reads of the harness, and its Dutch: the strings of checker/ marked with _() or ngettext(),
# the schemas' own words, and the catalogues themselves. The UI domains are per area (checker/i18n.py); a string
# may be translated in any of them, as _() looks it up in each.

CHECKER = Path(i18n.__file__).parent
SCHEMAS = CHECKER.parent / "schemas"
_MARKERS = {"_": 1, "ngettext": 2}


def _marked(path: Path) -> Iterator[tuple[str | tuple[str, str], int]]:
    """Each literal given to _() or ngettext() in one module, with its line (what `pybabel extract -k _ -k
    ngettext:1,2` sees)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        count = _MARKERS.get(name or "")
        if count is None or len(node.args) < count:
            continue
        texts = [a.value for a in node.args[:count] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if len(texts) == count:
            yield (texts[0] if count == 1 else (texts[0], texts[1])), node.lineno


def _marked_strings() -> dict[str | tuple[str, str], str]:
    found: dict[str | tuple[str, str], str] = {}
    for path in sorted(CHECKER.rglob("*.py")):
        for text, line in _marked(path):
            found.setdefault(text, f"{path.relative_to(CHECKER.parent)}:{line}")
    return found


def _schema_words() -> list[str]:
    words: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("x-message", "x-when") and isinstance(item, str):
                    words.append(item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for schema in sorted(SCHEMAS.glob("*.json")):
        walk(json.loads(schema.read_text(encoding="utf-8")))
    return sorted(set(words))


def _dutch_ui() -> dict[str | tuple[str, str], Message]:
    messages: dict[str | tuple[str, str], Message] = {}
    for domain in i18n.UI_DOMAINS:
        po = i18n.LOCALE_DIR / "nl" / "LC_MESSAGES" / f"{domain}.po"
        if po.is_file():
            with po.open("rb") as source:
                for message in read_po(source):
                    if message.id:
                        key = message.id if isinstance(message.id, str) else (message.id[0], message.id[1])
                        messages.setdefault(key, message)
    return messages


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _untranslated(wanted: dict[str | tuple[str, str], str]) -> list[str]:
    dutch = _dutch_ui()
    problems = []
    for text, where in wanted.items():
        message = dutch.get(text)
        singular = text if isinstance(text, str) else text[0]
        found = message.string if message is not None else None
        translations = [found] if isinstance(found, str) else list(found or ())
        if not translations or not all(t.strip() for t in translations):
            problems.append(f"{where}: no Dutch for {singular!r}")
            continue
        english = _fields(singular) | (_fields(text[1]) if isinstance(text, tuple) else set())
        problems.extend(
            f"{where}: {singular!r} has {sorted(english)}, its Dutch {sorted(_fields(translation))}"
            for translation in translations
            if _fields(translation) != english
        )
    return problems


def test_every_marked_string_of_checker_has_dutch_with_the_same_placeholders() -> None:
    # Found by reading the code, not by running it: a message of a rare error path is checked as well.
    wanted = _marked_strings()
    assert len(wanted) > 150  # the command line's own texts alone; the walk found the code
    problems = _untranslated(wanted)
    assert not problems, "\n".join(problems)


def test_the_schemas_own_words_have_dutch() -> None:
    # x-message and x-when are ketencheck's words in a flow file's and a waiver file's errors (checker/schema.py).
    words = _schema_words()
    assert "when form is extract" in words
    problems = _untranslated(dict.fromkeys(words, "schemas"))
    assert not problems, "\n".join(problems)


def test_the_marker_finder_sees_what_pybabel_extracts() -> None:
    # The test above is only as good as its reading of the code: keep it honest against the tool the catalogues
    # are made with.
    from babel.messages.extract import extract_from_file

    path = CHECKER / "cli.py"
    extracted = {
        m[1] if isinstance(m[1], str) else (m[1][0], m[1][1])
        for m in extract_from_file("python", str(path), keywords={"_": None, "ngettext": (1, 2)})
    }
    assert extracted == {text for text, _ in _marked(path)}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(i18n.LOCALE_DIR)))
def test_no_catalogue_entry_is_fuzzy_or_obsolete(po: Path) -> None:
    # gettext skips a fuzzy entry (the reader gets English in the middle of Dutch) and an obsolete one is dead
    # text that a translator would keep polishing.
    with po.open("rb") as source:
        catalogue = read_po(source)
    assert not catalogue.fuzzy, f"{po}: the header is marked fuzzy"
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not fuzzy, f"{po}: fuzzy entries {fuzzy}"
    assert not catalogue.obsolete, f"{po}: obsolete entries {list(catalogue.obsolete)}"


def test_one_english_text_has_one_dutch_text_in_every_area() -> None:
    # `_()` looks a text up in cli, formats, audit and pack in turn: a text two areas share must read the same in
    # both, or the first area's wording silently replaces the other's (and "rule" is "toets" everywhere, since
    # "regel" is a line).
    translations: dict[tuple[str | None, str], dict[str, str]] = {}
    for po in sorted((i18n.LOCALE_DIR / "nl" / "LC_MESSAGES").glob("*.po")):
        if po.stem not in i18n.UI_DOMAINS:
            continue
        with po.open("rb") as source:
            for message in read_po(source):
                if message.id and isinstance(message.id, str) and isinstance(message.string, str):
                    translations.setdefault((message.context, message.id), {})[po.stem] = message.string
    different = {key: by_domain for key, by_domain in translations.items() if len(set(by_domain.values())) > 1}
    assert not different


def test_every_text_of_the_cli_catalogue_is_still_asked_for() -> None:
    # The other areas' tests hold their catalogue to their code both ways; the cli domain serves the rest of checker/
    # and the schemas, so a text left behind when its code changed is found here.
    with (i18n.LOCALE_DIR / "nl" / "LC_MESSAGES" / "cli.po").open("rb") as source:
        held = {m.id if isinstance(m.id, str) else (m.id[0], m.id[1]) for m in read_po(source) if m.id}
    asked = set(_marked_strings()) | set(_schema_words())
    assert held - asked == set()
