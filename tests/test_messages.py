"""The findings' words: every message_id and fix_id the policies can emit has a template in English and Dutch with
exactly the arguments the policies send for it, every rule's finding renders in both languages through the real
OPA, and the English rendering is the text the policies used to build (the English goldens prove the rest)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker import i18n
from checker.engine.codec import parse_result
from checker.engine.interface import Evaluation, Request
from checker.engine.opa_cli import OpaCliEngine
from checker.errors import EngineOutputError
from checker.i18n import Lang
from checker.messages import (
    ARGUMENTS,
    FIX,
    FIX_ARGUMENTS,
    FRAGMENTS,
    MessageError,
    Texts,
    placeholders,
    render,
    render_fix,
    template,
    yaml_list,
)
from checker.model import Finding, Flow, FlowId, Report, RuleName, Severity
from checker.resources import policies_dir
from checker.run import RunRequest, run
from tests.conftest import INTEGRAL, ROOT, run_cli, write

pytestmark = pytest.mark.opa

POLICIES = ROOT / "policies"
TODAY = "2026-11-28"
BEFORE_LID_8 = "2026-08-31"
BASES = ["avg_6_1_c", "vw_107_4", "vv_7_1e"]


def _flow(**changes: Any) -> dict[str, Any]:
    flow = {
        "id": "f", "from": "IND", "to": "COA", "document": "beschikking_afwijzend", "form": "extract",
        "fields": ["v_nummer", "rechtmatig_verblijf"], "purpose": "einde_opvang", "legal_basis": BASES,
        "retention": "P4W",
    }  # fmt: skip
    flow.update(changes)
    return {k: v for k, v in flow.items() if v is not None}


def _integral(**changes: Any) -> dict[str, Any]:
    return _flow(form="integral", fields=None, **changes)


_TO_BZ = {"to": "BZ", "document": "nader_gehoor", "purpose": "ambtsbericht_onderzoek", "channel": "schriftelijk"}
_HOUSING = {"document": "beschikking_toewijzend", "purpose": "huisvesting_vergunninghouders"}
_TOEWIJZING = ["v_nummer", "naam", "geboortedatum", "gezinssamenstelling", "vergunning_geldigheid"]

# Flows that between them make every rule send every sentence it has: (flows, evaluation date, `with` clause).
CASES: dict[str, tuple[list[dict[str, Any]], str, str]] = {
    "single-flow rules": (
        [
            _flow(id="channel-named", **{**_TO_BZ, "channel": "bvv"}, fields=["v_nummer", "asielmotief"],
                  legal_basis=["avg_6_1_e", "vw_107a", "vv_7_1c"]),
            _flow(id="channel-none", **{**_TO_BZ, "channel": None}, fields=["v_nummer"], legal_basis=["avg_6_1_e"]),
            _flow(id="criminal-row", document="inreisverbod", fields=["v_nummer", "inreisverbod_grond"]),
            _integral(id="criminal-basis", to="DTV", document="inreisverbod", purpose="terugkeer",
                      legal_basis=["avg_6_1_c", "vw_107_4"]),
            _flow(id="special-row", fields=["v_nummer", "asielmotief"]),
            _flow(id="special-exception", **_TO_BZ, fields=["v_nummer", "asielmotief"],
                  legal_basis=["avg_6_1_e", "vw_107a"], volume=5000),
            _flow(id="not-in-document", document="vertrekbesluit", fields=["v_nummer", "bsn"]),
            _flow(id="surplus-kept", fields=["v_nummer", "naam"]),
            _flow(id="surplus-all", fields=["motivering"]),
            _integral(id="integral-special"),
            _integral(id="integral-plain", to="DJI", document="vertrekbesluit", purpose="bewaring"),
            _flow(id="basis-missing", legal_basis=["avg_6_1_c"]),
            _flow(id="basis-surplus", legal_basis=[*BASES, "avg_9_2_a"]),
            _integral(id="no-row", from_="BMA", document="medisch_advies", purpose="opvang"),
            _flow(id="no-rows-at-all", to="GGD"),
            _flow(id="not-bo-no-rows", to="VWN"),
            _flow(id="too-long", retention="P2Y"),
            _flow(id="no-retention", retention=None),
            _flow(id="self", **{"from": "COA"}),
            _flow(id="guess-scalar", to="CAO"),
            _flow(id="guess-list", fields=["v_nummer", "rechtmatig_verblijff"]),
            _flow(id="no-guess", purpose="xyz"),
            _flow(id="basis-unknown", legal_basis=["avg_6_1_c", "vw_107_4", "avg_9_2_i"]),
            _flow(id="basis-unknown-no-row", purpose="xyz", legal_basis=["avg_9_2_i"]),
            _flow(id="purpose-of-other", purpose="terugkeer"),
            _flow(id="purpose-of-recipient", purpose="opvang"),
            _flow(id="purposes", to="GEMEENTE", document="beschikking_toewijzend", purpose="opvang"),
        ],
        TODAY,
        "",
    ),
    "before lid 8": ([_flow(id="not-bo-before", to="VWN")], BEFORE_LID_8, ""),
    # Every partner of the pack that is not a bestuursorgaan has a row for every document or none at all: COA made
    # one shows the sentences for such a partner with rows.
    "not a bestuursorgaan, with rows": (
        [_integral(id="not-bo-rows", from_="BMA", document="medisch_advies", purpose="opvang")],
        TODAY,
        " with data.ketencheck.catalogue.partners.COA.bestuursorgaan as false",
    ),
    "not a bestuursorgaan, with rows, before lid 8": (
        [_integral(id="not-bo-rows-before", from_="BMA", document="medisch_advies", purpose="opvang")],
        BEFORE_LID_8,
        " with data.ketencheck.catalogue.partners.COA.bestuursorgaan as false",
    ),
    "chain rules": (
        [
            _flow(id="ind-coa", **_HOUSING, fields=_TOEWIJZING, retention="P1Y"),
            _flow(id="coa-gemeente", **_HOUSING, **{"from": "COA"}, to="GEMEENTE", retention="P1Y",
                  fields=["v_nummer", "naam", "gezinssamenstelling"], legal_basis=[*BASES, "huisvestingswet_28"]),
            _flow(id="ind-gemeente-brp", to="GEMEENTE", document="beschikking_toewijzend", purpose="brp_inschrijving",
                  fields=["v_nummer", "geslacht", "nationaliteit"], retention="P1Y",
                  legal_basis=["avg_6_1_c", "vw_107_4", "vb_8_1", "wet_brp"]),
            _flow(id="coa-gemeente-surplus", **_HOUSING, **{"from": "COA"}, to="GEMEENTE", retention="P1Y",
                  fields=["v_nummer", "asielmotief"], legal_basis=[*BASES, "huisvestingswet_28"]),
            _flow(id="dtv-gemeente", **_HOUSING, **{"from": "DTV"}, to="GEMEENTE", retention="P1Y",
                  fields=["v_nummer"], legal_basis=[*BASES, "huisvestingswet_28"]),
        ],
        TODAY,
        "",
    ),
    # No row of the real matrix lets two extracts add up to a document's special part: the rule's own test rows.
    "extracts re-create special data": (
        [
            {**_flow(id="one", **_TO_BZ, fields=["v_nummer", "asielmotief", "religie", "seksuele_gerichtheid"],
                     legal_basis=["avg_6_1_e", "vw_107a", "vv_7_1c"], retention="P1Y"), "channel": None},
            {**_flow(id="two", **{**_TO_BZ, "purpose": "terugkeer"},
                     fields=["v_nummer", "politieke_opvatting", "etniciteit", "medische_gegevens"],
                     legal_basis=["avg_6_1_e", "vw_107a", "vv_7_1c"], retention="P1Y"), "channel": None},
        ],
        TODAY,
        " with data.ketencheck.catalogue.matrix.rows as data.ketencheck.chain.aggregation_recreates_special_test._rows"
        " with data.ketencheck.catalogue.index as data.ketencheck.lib.fixtures_test.index_with("
        "data.ketencheck.chain.aggregation_recreates_special_test._rows)",
    ),
}  # fmt: skip

_EXCHANGE = {k: v for k, v in _flow().items() if k != "id"}
_APPROVED = {"flows": [{**_flow(), "id": "approved"}], "activities": {"approved": "pa:approved"}}

# The decision API's own rules judge one exchange: (input, `with` clause).
DECISIONS: dict[str, tuple[dict[str, Any], str]] = {
    "missing keys": ({"exchange": {"form": "integral"}}, ""),
    "no bases, no fields": ({"exchange": {**_EXCHANGE, "legal_basis": [], "fields": []}}, ""),
    "unknown approved flow": ({"exchange": _EXCHANGE, "context": {"flow_id": "nope"}}, ""),
    "exceeds the approved flow": (
        {
            "exchange": {**_EXCHANGE, "purpose": "opvang", "fields": ["v_nummer", "naam"]},
            "context": {"flow_id": "approved", "processing_activity_id": "pa:other"},
        },
        f" with data.ketencheck.approved as {json.dumps(_APPROVED)}",
    ),
}


def _opa_eval(opa: str, query: str, document: Any) -> Any:
    done = subprocess.run(  # noqa: S603
        [opa, "eval", "--format=json", "--stdin-input", "-d", str(POLICIES), query],
        input=json.dumps(document), capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    return json.loads(done.stdout)["result"][0]["expressions"][0]["value"]


@cache
def _emitted(opa: str) -> tuple[dict[str, Any], ...]:
    found: list[dict[str, Any]] = []
    for flows, today, clause in CASES.values():
        document = {"flows": [_renamed(f) for f in flows], "today": today}
        found.extend(_opa_eval(opa, "data.ketencheck.main.findings" + clause, document))
    for document, clause in DECISIONS.values():
        found.extend(_opa_eval(opa, "data.ketencheck.decide.decision.reasons" + clause, document))
    return tuple(found)


def _renamed(flow: dict[str, Any]) -> dict[str, Any]:
    # `from` is a Python keyword: the cases spell it from_ where it is a keyword argument.
    return {("from" if k == "from_" else k): v for k, v in flow.items() if v is not None}


@pytest.fixture(scope="module")
def emitted(opa_binary: str) -> tuple[dict[str, Any], ...]:
    return _emitted(opa_binary)


def _msgids(context: str | None) -> set[str]:
    from babel.messages.pofile import read_po

    with (ROOT / "checker" / "locale" / "en" / "LC_MESSAGES" / "findings.po").open("rb") as source:
        catalogue = read_po(source)
    return {m.id for m in catalogue if m.id and m.context == context and isinstance(m.id, str)}


def test_every_message_and_fix_the_policies_emit_has_a_template_with_exactly_its_arguments(
    emitted: Sequence[dict[str, Any]],
) -> None:
    for finding in emitted:
        for lang in Lang:
            text = template(lang, finding["message_id"])
            assert text is not None, f"no {lang.value} template for {finding['message_id']}"
            assert placeholders(text) == set(finding["arguments"]), (lang, finding["message_id"], finding["arguments"])
            if "fix_id" in finding:
                fix = template(lang, finding["fix_id"], FIX)
                assert fix is not None, f"no {lang.value} template for fix {finding['fix_id']}"
                assert placeholders(fix) == set(finding["fix_arguments"]), (lang, finding["fix_id"])


def test_every_template_is_one_the_policies_emit(emitted: Sequence[dict[str, Any]]) -> None:
    # A template nobody sends is a sentence no test renders: a variant the cases above miss, or a dead one.
    assert {f["message_id"] for f in emitted} == _msgids(None) - set(FRAGMENTS)
    assert {f["fix_id"] for f in emitted if "fix_id" in f} == _msgids(FIX)


def test_every_rule_sends_its_findings_as_data(emitted: Sequence[dict[str, Any]]) -> None:
    rules = {p.parent.name for p in POLICIES.glob("ketencheck/rules/*/*.rego")}
    rules |= {p.parent.name for p in POLICIES.glob("ketencheck/chain/*/*.rego")}
    assert rules <= {f["rule"] for f in emitted}
    assert not [f for f in emitted if "message" in f or "fix" in f]


def test_the_templates_of_both_languages_take_the_same_arguments() -> None:
    for ident in _msgids(None):
        assert placeholders(template(Lang.EN, ident) or "") == placeholders(template(Lang.NL, ident) or ""), ident
    for ident in _msgids(FIX):
        assert placeholders(template(Lang.EN, ident, FIX) or "") == placeholders(template(Lang.NL, ident, FIX) or ""), (
            ident
        )


def test_every_argument_and_fragment_is_declared() -> None:
    for ident in _msgids(None) - set(FRAGMENTS):
        assert placeholders(template(Lang.EN, ident) or "") <= set(ARGUMENTS), ident
    for ident in _msgids(FIX):
        assert placeholders(template(Lang.EN, ident, FIX) or "") <= set(FIX_ARGUMENTS), ident
    for ident, names in FRAGMENTS.items():
        for lang in Lang:
            assert placeholders(template(lang, ident) or "-") == names, (lang, ident)


def _finding(item: Mapping[str, Any]) -> Finding:
    return Finding(
        FlowId(item["flow"]),
        RuleName(item["rule"]),
        Severity(item["severity"]),
        render(Lang.EN, item["message_id"], item["arguments"]),
        tuple(item["legal_refs"]),
        render_fix(Lang.EN, item["fix_id"], item["fix_arguments"]) if "fix_id" in item else None,
        item["title"],
        message_id=item["message_id"],
        arguments=item["arguments"],
        fix_id=item.get("fix_id"),
        fix_arguments=item.get("fix_arguments", {}),
        title_nl=item.get("title_nl", item["title"]),  # only in a run that asks for names (a Dutch one)
    )


def test_every_rules_finding_renders_in_both_languages(emitted: Sequence[dict[str, Any]]) -> None:
    for item in emitted:
        finding = _finding(item)
        english, dutch = Texts(Lang.EN).message(finding), Texts(Lang.NL).message(finding)
        assert english == finding.message
        assert dutch and dutch != english and "{" not in dutch, item["message_id"]
        if finding.fix_id is not None:
            assert Texts(Lang.EN).fix(finding) == finding.fix
            assert Texts(Lang.NL).fix(finding), item["fix_id"]


DUTCH_NAMES = {
    "partners": {"IND": {"nl": "IND"}, "COA": {"nl": "COA"}, "GEMEENTE": {"nl": "gemeente"}},
    "documents": {
        "beschikking_toewijzend": {"nl": "toewijzende beschikking"},
        "beschikking_afwijzend": {"nl": "afwijzende beschikking"},
    },
    "purposes": {"huisvesting_vergunninghouders": {"nl": "huisvesting van vergunninghouders"}},
    "fields": {
        "asielmotief": {"nl": "asielmotief"},
        "motivering": {"nl": "motivering van het besluit"},
        "geloofwaardigheidsbeoordeling": {"nl": "beoordeling van de geloofwaardigheid"},
    },
}
"""Names as catalogue/labels gives them, for the renderer's own test (the catalogue's names are tested there)."""


def _seed(opa: str, flow_id: str, rule: str) -> Finding:
    flows = [
        json.loads(json.dumps(f))
        for f in yaml.safe_load((ROOT / "examples/seed/ind-coa-integraal.flow.yaml").read_text())["flows"]
    ]
    found = _opa_eval(opa, "data.ketencheck.main.findings", {"flows": flows, "today": TODAY})
    return _finding(next(f for f in found if f["flow"] == flow_id and f["rule"] == rule))


def test_the_seeds_integral_toewijzing_to_coa_reads_in_dutch(opa_binary: str) -> None:
    finding = _seed(opa_binary, "ind-coa-toewijzing-integraal", "integral_not_proportional")
    dutch = Texts(Lang.NL, DUTCH_NAMES)
    assert dutch.message(finding) == (
        "COA mag toewijzende beschikking voor het doel huisvesting van vergunninghouders alleen ontvangen als "
        "uittreksel van hoogstens 9 velden. Deze verstrekking stuurt het volledige document (13 velden), met "
        "bijzondere persoonsgegevens: asielmotief en motivering van het besluit."
    )
    assert dutch.fix(finding) == (
        "form: extract\n"
        "fields: [v_nummer, naam, geboortedatum, gezinssamenstelling, besluitdatum, rechtmatig_verblijf, "
        "verblijfsgrond, verblijfsgrond_asiel, vergunning_geldigheid]  "
        "# hoogstens deze velden; houd alleen wat de taak nodig heeft"
    )
    english = Texts(Lang.EN, DUTCH_NAMES)
    assert english.message(finding) == (
        "COA may receive beschikking_toewijzend for huisvesting_vergunninghouders only as an extract of at most 9 "
        "fields; this flow sends the whole document (13 fields, including special-category data: asielmotief, "
        "motivering)"
    )
    assert english.fix(finding) == (
        "form: extract\n"
        "fields: [v_nummer, naam, geboortedatum, gezinssamenstelling, besluitdatum, rechtmatig_verblijf, "
        "verblijfsgrond, verblijfsgrond_asiel, vergunning_geldigheid]  "
        "# at most these fields; keep only what the task needs"
    )


def _rendered(lang: Lang, ident: str, arguments: Mapping[str, Any], names: Any = None) -> str:
    # As the codec makes a finding: its English message rendered when it is decoded.
    english = render(Lang.EN, ident, arguments)
    finding = Finding(FlowId("f"), RuleName("r"), Severity.ERROR, english, (), message_id=ident, arguments=arguments)
    return Texts(lang, names or {}).message(finding)


def test_dutch_lists_durations_law_and_retention_sources() -> None:
    arguments = {
        "recipient": "COA", "purpose": "einde_opvang", "max": "P1Y6M",
        "retention_source": {"verified": True, "source": "Act art. 1", "source_nl": "Wet art. 1"},
    }  # fmt: skip
    assert _rendered(Lang.NL, "retention_missing", arguments).endswith(
        "Het pakket staat hoogstens 1 jaar en 6 maanden toe (vastgelegd in de wet: Wet art. 1)."
    )
    assert _rendered(Lang.EN, "retention_missing", arguments).endswith(
        "(the pack allows at most P1Y6M; set by law: Act art. 1)"
    )
    # A source the catalogue has only in English is left out of the Dutch text rather than mixed into it.
    default = {**arguments, "retention_source": {"verified": False, "source": "a default"}, "max": "P4W"}
    assert _rendered(Lang.NL, "retention_missing", default).endswith(
        "hoogstens 4 weken toe (standaardwaarde van dit pakket, niet vastgelegd in de wet)."
    )
    missing = {
        "document": "beschikking_afwijzend", "recipient": "COA", "purpose": "einde_opvang",
        "required": ["avg_6_1_c", "vv_7_1e", "vw_107_4"],
        "missing_law": [
            {"id": "vv_7_1e", "sources": [{"label": "VV 2000 art. 7.1e", "label_nl": "artikel 7.1e VV 2000",
                                            "verified": False}]},
            {"id": "vw_107_4", "sources": [{"label": "Vw 2000 art. 107(4)", "label_nl": "artikel 107 lid 4 Vw 2000",
                                             "verified": True}]},
        ],
    }  # fmt: skip
    assert _rendered(Lang.NL, "legal_basis_incomplete", missing).endswith(
        "zijn deze grondslagen nodig: avg_6_1_c, vv_7_1e en vw_107_4. Deze ontbreken: vv_7_1e (artikel 7.1e VV 2000, "
        "tekst niet gecontroleerd); vw_107_4 (artikel 107 lid 4 Vw 2000)."
    )
    assert _rendered(Lang.EN, "legal_basis_incomplete", missing).endswith(
        "missing: vv_7_1e (VV 2000 art. 7.1e, text not verified); vw_107_4 (Vw 2000 art. 107(4))"
    )
    others = {
        "others": {"flows": ["a", "b", "c", "d", "e"], "more": 2}, "recipient": "GEMEENTE",
        "document": "beschikking_toewijzend", "fields": ["naam"],
    }  # fmt: skip
    assert _rendered(Lang.NL, "aggregation_recreates_special", others, DUTCH_NAMES).startswith(
        "Samen met a, b, c, d, e en nog 2 andere ontvangt gemeente alle bijzondere persoonsgegevens van toewijzende "
        "beschikking (naam)."
    )
    assert _rendered(Lang.EN, "aggregation_recreates_special", others, DUTCH_NAMES).startswith(
        "together with a, b, c, d, e and 2 more, GEMEENTE receives"
    )


def test_a_finding_this_harness_cannot_word_is_an_engine_error() -> None:
    with pytest.raises(MessageError):
        render(Lang.EN, "no_such_message", {})
    with pytest.raises(MessageError):
        render(Lang.EN, "self_flow", {"sender": "COA"})
    item = {
        "flow": "f", "rule": "self_flow", "severity": "error", "message_id": "no_such_message", "arguments": {},
        "legal_refs": [],
    }  # fmt: skip
    flow = Flow(FlowId("f"), "x.flow.yaml", 1, 0, {})
    with pytest.raises(EngineOutputError, match="cannot word"):
        parse_result({"findings": [item], "verdicts": {"f": "deny"}}, Request([flow]), "opa")


def test_a_pack_whose_rule_sends_text_still_works() -> None:
    # A rule of an organisation's own that sends its message as text (no message_id) keeps working, in English.
    item = {"flow": "f", "rule": "own_rule", "severity": "warning", "message": "own words", "legal_refs": [],
            "fix": "x: y"}  # fmt: skip
    flow = Flow(FlowId("f"), "x.flow.yaml", 1, 0, {})
    [finding] = parse_result({"findings": [item], "verdicts": {"f": "allow"}}, Request([flow]), "opa").findings
    assert (finding.message, finding.fix, finding.message_id) == ("own words", "x: y", "")
    assert Texts(Lang.NL).message(finding) == "own words"


def test_a_dutch_run_asks_the_pack_for_names_and_an_english_run_pays_nothing(tmp_path: Path, opa_binary: str) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(policies_dir(), pack)
    labels = {
        "documents": {"beschikking_afwijzend": {"nl": "afwijzende beschikking", "en": "decision refusing asylum"}}
    }
    write(pack, "ketencheck/catalogue/labels/data.yaml", yaml.safe_dump(labels))
    write(tmp_path, "flows/b.flow.yaml", INTEGRAL)
    sent: list[Request] = []

    class Recording(OpaCliEngine):
        def evaluate(self, request: Request) -> Evaluation:
            sent.append(request)
            return super().evaluate(request)

    def checked(lang: Lang) -> Report:
        i18n.use(lang)
        try:
            return run(RunRequest((str(tmp_path / "flows"),), lambda: Recording(opa_binary, pack)))
        finally:
            i18n.use(Lang.EN)

    dutch, english = checked(Lang.NL), checked(Lang.EN)
    assert [r.names for r in sent] == [True, False]
    assert dutch.names == labels
    assert english.names == {}
    [finding] = [f for r in dutch.results for f in r.findings if f.rule == "integral_not_proportional"]
    assert Texts.of(dutch, Lang.NL).message(finding).startswith("COA mag afwijzende beschikking voor het doel ")
    assert [f.message for r in english.results for f in r.findings] == [
        f.message for r in dutch.results for f in r.findings
    ]


def test_a_fix_writes_an_id_that_is_not_plain_as_a_quoted_string_as_opa_would(opa_binary: str) -> None:
    # The fix's YAML is rendered here from ids the flow file gave: an item that is not a plain id is quoted as OPA's
    # json.marshal quotes it (the policies wrote it so before findings were data), so it cannot break the lines.
    items = ["v_nummer", "x\n```\n# kop", "@org/team", "a b", "<script>&", "tab\tline\u2028sep", "é"]
    assert yaml_list(items[:4]) == '[v_nummer, "x\\n```\\n# kop", "@org/team", "a b"]'
    quoted = _opa_eval(opa_binary, "[json.marshal(x) | some x in input]", items[1:])
    assert yaml_list(items) == "[v_nummer, " + ", ".join(quoted) + "]"
    assert "\n" not in yaml_list(items)


def test_decide_keeps_the_english_message_of_each_reason_beside_its_data() -> None:
    exchange = {**_EXCHANGE, "form": "integral", "channel": "bvv"}
    exchange.pop("fields")
    done = run_cli("decide", "--today", TODAY, stdin=json.dumps({"exchange": exchange}))
    assert done.returncode == 1, done.stderr
    [reason] = [r for r in json.loads(done.stdout)["reasons"] if r["rule"] == "integral_not_proportional"]
    assert reason["message_id"] == "integral_not_proportional.special"
    assert reason["message"] == (
        "COA may receive beschikking_afwijzend for einde_opvang only as an extract of at most 10 fields; this flow "
        "sends the whole document (17 fields, including special-category data: asielmotief, "
        "geloofwaardigheidsbeoordeling, motivering)"
    )
    assert reason["fix"].startswith("form: extract\nfields: [v_nummer, besluitdatum, ")
    assert reason["fix"].endswith("]  # at most these fields; keep only what the task needs")


def test_a_dutch_sentence_gives_a_document_its_article_and_starts_with_a_capital() -> None:
    arguments = {
        "recipient": "GEMEENTE",
        "fields": ["asielmotief"],
        "document": "nader_gehoor",
        "purpose": "huisvesting_vergunninghouders",
        "admitted": ["naam"],
    }
    finding = Finding(
        FlowId("f"),
        RuleName("field_not_needed"),
        Severity.ERROR,
        render(Lang.EN, "field_not_needed", arguments),
        (),
        message_id="field_not_needed",
        arguments=arguments,
    )
    names = {
        "partners": {"GEMEENTE": {"nl": "gemeente"}},
        "documents": {"nader_gehoor": {"nl": "nader gehoor", "nl_article": "het"}},
        "purposes": {"huisvesting_vergunninghouders": {"nl": "huisvesting van vergunninghouders"}},
    }
    dutch = Texts(Lang.NL, names).message(finding)
    assert dutch.startswith("Gemeente heeft asielmotief uit het nader gehoor niet nodig voor het doel huisvesting")
    # English keeps the ids, as it always has.
    assert Texts(Lang.EN, names).message(finding).startswith("GEMEENTE does not need asielmotief from nader_gehoor")
