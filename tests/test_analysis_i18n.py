"""`policy exposure`, `policy verify`, `policy diff` and `decide --format text` in the reader's language, and the
errors of the engine's output and of the findings' templates (gettext domain `analysis`), through the real CLI and
the real opa. English stays what it was (the English goldens here were written by the code before the catalogue);
Dutch is new, beside it, and a scan finds English words in what the harness itself writes in Dutch.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from checker import i18n
from checker.engine import codec
from checker.engine.interface import Request
from checker.errors import EngineOutputError
from checker.i18n import Lang
from checker.messages import MessageError, render, render_fix
from tests.conftest import GEMEENTE_AND_COA, ROOT, run_cli, write
from tests.test_format_examples import _ENGLISH, _NOT_WORDS

pytestmark = pytest.mark.opa

MATRIX = Path("ketencheck/catalogue/matrix/data.yaml")
COA_EXTRACT = """    purpose: einde_opvang
    form: extract
    fields: [v_nummer, besluitdatum, rechtmatig_verblijf, verblijfsgrond, vertrektermijn_einddatum, vertrekplicht,
             schorsende_werking, uitstel_vertrek, inreisverbod_geldt, dublin_claimant]
"""
GEMEENTE = "    fields: [v_nummer, naam, geboortedatum, gezinssamenstelling, vergunning_geldigheid]\n"
DENIED = (
    "--from", "IND", "--to", "COA", "--document", "beschikking_afwijzend", "--form", "integral",
    "--purpose", "einde_opvang", "--basis", "avg_6_1_c", "--basis", "vw_107_4",
)  # fmt: skip
ALLOWED = (
    "--from", "IND", "--to", "COA", "--document", "beschikking_afwijzend", "--form", "extract",
    "--field", "v_nummer", "--field", "rechtmatig_verblijf", "--purpose", "einde_opvang",
    "--basis", "avg_6_1_c", "--basis", "vw_107_4", "--basis", "vv_7_1e", "--channel", "bvv",
)  # fmt: skip


@pytest.fixture(autouse=True)
def _needs_opa(opa_binary: str) -> None:
    """Every test here runs the real opa (or a fake one in its place); in CI a missing one fails the run."""


def _pack(root: Path, name: str, old: str = "", new: str = "") -> Path:
    pack = root / name
    shutil.copytree(ROOT / "policies", pack, ignore=shutil.ignore_patterns("*_test.rego"))
    if old:
        path = pack / MATRIX
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1
        path.write_text(text.replace(old, new), encoding="utf-8")
    return pack


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """base: the shipped pack; coa: COA gets the refusal integral (violations, a witness, a broken row check);
    gemeente: GEMEENTE gets verblijfsgrond_asiel (a widening that flips a flow). Run from this directory, so
    that the outputs name them by relative paths."""
    root = tmp_path_factory.mktemp("packs")
    _pack(root, "base")
    _pack(root, "coa", COA_EXTRACT, "    purpose: einde_opvang\n    form: integral\n")
    _pack(
        root,
        "gemeente",
        GEMEENTE,
        GEMEENTE.replace("vergunning_geldigheid]", "vergunning_geldigheid, verblijfsgrond_asiel]"),
    )
    write(root, "gemeente.flow.yaml", GEMEENTE_AND_COA)
    return root


COMMANDS: dict[str, tuple[tuple[str, ...], int]] = {
    "exposure-coa": (("policy", "exposure", "--policies", "base", "--partner", "COA"), 0),
    "verify-coa": (("policy", "verify", "--policies", "coa"), 1),
    "diff-coa": (("policy", "diff", "base", "coa"), 1),
    "diff-back": (("policy", "diff", "coa", "base"), 0),
    "diff-gemeente": (("policy", "diff", "base", "gemeente", "--flows", "gemeente.flow.yaml"), 1),
}


def _cli(packs: Path, name: str, fmt: str, lang: str) -> str:
    args, code = COMMANDS[name]
    done = run_cli(*args, "--format", fmt, "--lang", lang, cwd=packs)
    assert done.returncode == code, done.stderr
    assert done.stderr == ""
    return done.stdout


def _decide(packs: Path, args: tuple[str, ...], lang: str) -> str:
    done = run_cli(
        "decide", "--today", "2026-11-28", "--policies", "base", *args, "--format", "text", "--lang", lang, cwd=packs
    )
    assert done.stderr == ""
    # The pack's revision is a digest of its files: any change to the pack would change the golden.
    return re.sub(r"\((pack|beleidspakket) [^)]*\)", r"(\1 REVISION)", done.stdout)


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_the_pack_analyses_in_both_languages(
    packs: Path, name: str, fmt: str, golden: Callable[[str, str], None]
) -> None:
    golden(f"{name}.{fmt}", _cli(packs, name, fmt, "en"))
    golden(f"{name}.nl.{fmt}", _cli(packs, name, fmt, "nl"))


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_json_of_the_pack_analyses_is_english_in_every_language(packs: Path, name: str) -> None:
    # Machine output: stable English keys and texts (diff's "text" of a change is its English sentence).
    assert _cli(packs, name, "json", "nl") == _cli(packs, name, "json", "en")


@pytest.mark.parametrize(("name", "args"), [("decide-deny", DENIED), ("decide-allow", ALLOWED)])
def test_decide_text_in_both_languages(
    packs: Path, name: str, args: tuple[str, ...], golden: Callable[[str, str], None]
) -> None:
    golden(f"{name}.text", _decide(packs, args, "en"))
    dutch = _decide(packs, args, "nl")
    golden(f"{name}.nl.text", dutch)


def test_decide_text_words_the_reasons_in_dutch_with_dutch_law(packs: Path) -> None:
    dutch = _decide(packs, DENIED, "nl")
    assert dutch.startswith("geweigerd: exchange (beleidspakket REVISION)\n")
    assert "  fout: integral_not_proportional: COA mag beschikking_afwijzend" in dutch
    assert "[AVG art. 5 lid 1 onder c; artikel 107 lid 4 Vreemdelingenwet 2000;" in dutch
    # The JSON answer keeps the English message beside the message_id, whatever the language.
    done = run_cli(
        "decide", "--today", "2026-11-28", "--policies", "base", *DENIED, "--format", "json", "--lang", "nl", cwd=packs
    )
    reasons = json.loads(done.stdout)["reasons"]
    assert reasons[0]["message"].startswith("COA may receive beschikking_afwijzend for einde_opvang only")


# The scan: what the harness writes in Dutch has no English words of the list (tests/test_format_examples.py). Not
# the harness's words, and so left out: ids (they are code), the witness as YAML (a flow file to paste), and what the
# pack itself says in English (an invariant's statement and owner, an exemption's reason, a row check's message:
# catalogue data, taken from the command's JSON).
_YAML_LINE = re.compile(
    r"^\s*(- )?(version|flows|id|description|from|to|document|form|fields|purpose|legal_basis|channel):"
)


def _pack_texts(packs: Path, pack: str) -> Iterator[str]:
    done = run_cli("policy", "verify", "--policies", pack, "--format", "json", cwd=packs)
    verified = json.loads(done.stdout)
    for invariant in verified["invariants"]:
        yield invariant["statement"]
        yield invariant["owner"]
    for exemption in verified["exemptions"]:
        yield " ".join(exemption["reason"].split())
    for finding in verified["row_findings"]:
        yield finding["message"]


def english_words(text: str, data: list[str]) -> list[str]:
    for piece in sorted(data, key=len, reverse=True):
        text = text.replace(piece, " ").replace(piece.replace("_", "\\_"), " ")
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    found = []
    for line in text.splitlines():
        if _YAML_LINE.match(line):
            continue
        words = _ENGLISH.findall(_NOT_WORDS.sub(" ", line))
        if words:
            found.append(f"{sorted(set(words))}: {line.strip()}")
    return found


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_the_dutch_analyses_have_no_english_words_of_their_own(packs: Path, fmt: str) -> None:
    data = [*_pack_texts(packs, "base"), *_pack_texts(packs, "coa")]
    for name in COMMANDS:
        dutch = _cli(packs, name, fmt, "nl")
        assert english_words(dutch, data) == [], name
        # The scan can fail: the English output has the words.
        assert english_words(_cli(packs, name, fmt, "en"), data) != [], name
    assert english_words(_decide(packs, DENIED, "nl"), data) == []
    assert english_words(_decide(packs, DENIED, "en"), data) != []


def test_every_text_of_the_analysis_catalogue_is_still_asked_for() -> None:
    # tests/test_i18n.py finds a marked text without Dutch; this finds Dutch whose text the code no longer asks for.
    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import read_po

    asked = {
        message if isinstance(message, str) else message[0]
        for path in sorted(Path(i18n.__file__).parent.rglob("*.py"))
        for _, message, _, _ in extract_from_file("python", str(path), keywords={"_": None, "ngettext": (1, 2)})
    }
    with (i18n.LOCALE_DIR / "nl" / "LC_MESSAGES" / "analysis.po").open("rb") as source:
        held = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(source) if m.id}
    assert len(held) > 100
    assert held - asked == set()


def test_doctor_calls_the_bundled_pack_by_a_dutch_word() -> None:
    done = run_cli("doctor", "--lang", "nl")
    assert done.returncode == 0, done.stdout + done.stderr
    assert ", meegeleverd: " in done.stdout and "bundled" not in done.stdout
    assert ", bundled: " in run_cli("doctor", "--lang", "en").stdout


def test_explain_of_an_unknown_flow_says_so_in_dutch() -> None:
    done = run_cli("explain", "geen-verstrekking", str(ROOT / "examples" / "seed"), "--lang", "nl")
    assert done.returncode == 2
    assert "fout: geen geldige verstrekking met id 'geen-verstrekking' in " in done.stderr + done.stdout


def _fake_opa(tmp_path: Path, value: Any) -> Path:
    answer = json.dumps({"result": value})  # `opa eval --format=raw` of {"result": QUERY}
    opa = write(tmp_path, "bin/opa", f"#!/bin/sh\ncat >/dev/null; echo '{answer}'\n")
    opa.chmod(0o755)
    return opa


@pytest.mark.parametrize(
    ("value", "dutch", "english"),
    [
        (
            {"findings": [{"flow": "x"}]},
            "ketencheck: fout: opa gaf een ongeldige bevinding terug: {'flow': 'x'}\n",
            "ketencheck: error: opa returned a malformed finding: {'flow': 'x'}\n",
        ),
        (
            {
                "findings": [
                    {
                        "flow": "ind-coa-einde-opvang", "rule": "r", "severity": "error", "legal_refs": [],
                        "message_id": "no.such.message", "arguments": {},
                    }
                ]
            },
            "ketencheck: fout: opa gaf een bevinding terug die deze ketencheck niet in woorden kan zetten: melding "
            "'no.such.message' heeft geen sjabloon in de taal 'en'\n",
            "ketencheck: error: opa returned a finding this ketencheck cannot word: no en template for message "
            "'no.such.message'\n",
        ),
    ],
)  # fmt: skip
def test_a_malformed_answer_of_the_engine_is_exit_3_in_the_language_in_use(
    tmp_path: Path, value: Any, dutch: str, english: str
) -> None:
    opa = _fake_opa(tmp_path, value)
    seed = str(ROOT / "examples" / "seed")
    for lang, expected in (("nl", dutch), ("en", english)):
        done = run_cli("check", "--opa", str(opa), seed, "--lang", lang)
        assert done.returncode == 3
        assert done.stdout == ""
        assert done.stderr == expected


def test_every_engine_output_and_template_error_is_dutch_in_dutch() -> None:
    # In process, the rarer paths: each raises its own error with Dutch words while Dutch is in use.
    request = Request((), (), datetime.date(2026, 11, 28))
    cases: list[Callable[[], object]] = [
        lambda: codec.parse_result([], request, "opa"),
        lambda: codec.parse_result({}, request, "opa"),
        lambda: codec.parse_result({"findings": []}, request, "opa"),
        lambda: codec.parse_rules(None, "opa"),
        lambda: codec.parse_rules([{"path": 1}], "opa"),
        lambda: render(Lang.NL, "onbekend", {}),
        lambda: render(Lang.EN, "integral_not_proportional", {}),
        lambda: render_fix(Lang.NL, "onbekend", {}),
    ]
    i18n.use(Lang.NL)
    try:
        for case in cases:
            with pytest.raises((EngineOutputError, MessageError)) as raised:
                case()
            text = str(raised.value)
            assert not re.search(r"\b(returned|no|of|for|do not|template)\b", text), text
    finally:
        i18n.use(Lang.EN)
