"""The law catalogue: quotes checked against the shipped texts, citations by date end to end, one resolver."""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.engine.codec import parse_result, policy_input
from checker.engine.interface import Request
from checker.engine.opa_cli import OpaCliEngine
from checker.errors import EngineOutputError
from checker.i18n import Lang
from checker.law import resolve, resolve_rules
from checker.loader import load
from checker.messages import Texts
from checker.model import Flow, FlowId, LegalSource, RuleInfo, RuleName, Severity
from tests.conftest import ROOT, run_cli

CATALOGUE = ROOT / "policies" / "ketencheck" / "catalogue"
LAW = yaml.safe_load((CATALOGUE / "law" / "data.yaml").read_text(encoding="utf-8"))
BASES = yaml.safe_load((CATALOGUE / "legal_bases" / "data.yaml").read_text(encoding="utf-8"))
TEXTS = ROOT / "tests" / "data" / "law"
SEED = "examples/seed/ind-coa-integraal.flow.yaml"

_VERIFIED = [
    pytest.param(pid, v, id=f"{pid}[{v['valid_from']}]")
    for pid, p in LAW["provisions"].items()
    for v in p["versions"]
    if v["verified"]
]


def _normalised(text: str) -> str:
    # Line breaks and blank lines fall where the corpus wrapped the text, and the corpus writes cross-references
    # as Markdown links ("[artikel 28 van de Wet][ref1]"): the words are what must match.
    return " ".join(re.sub(r"\[([^\]]*)\]\[ref\d+\]", r"\1", text).split())


def _article(path: Path) -> tuple[str, str]:
    header, _, body = path.read_text(encoding="utf-8").partition("\n")
    return header, body


def _lid_of(body: str, quote: str) -> str | None:
    """The number of the lid whose text holds the quote (leden start a line with their number)."""
    leden = re.split(r"(?m)^(\d+) ", body)
    for number, text in zip(leden[1::2], leden[2::2], strict=True):
        if _normalised(quote) in _normalised(text):
            return number
    return None


@pytest.mark.parametrize(("pid", "version"), _VERIFIED)
def test_each_verified_quote_stands_in_the_shipped_text_of_its_version(pid: str, version: dict[str, Any]) -> None:
    source = version["source"]
    path = TEXTS / source["text"]
    header, body = _article(path)
    # The shipped text says where it came from, and it is the file and commit the catalogue names.
    assert header.startswith(f"# source: {source['repository']} {source['path']} @ {source['commit']} "), header
    # The corpus keeps one file per version date: the version cited is the file read.
    assert source["path"].endswith(f"/{version['valid_from']}.yaml"), source["path"]
    assert _normalised(version["quote"]) in _normalised(body), f"{pid}: quote not in {path}"
    if "lid" in version and re.match(r"(?m)^\d+ ", body):
        # The lid the version cites is the lid that holds the words: a renumbering is caught, not cited wrongly.
        assert _lid_of(body, version["quote"]) == version["lid"], f"{pid}: quote is not in lid {version['lid']}"


def test_the_proportionality_clause_really_moved_from_lid_8_to_lid_10() -> None:
    _, before = _article(TEXTS / "vreemdelingenwet_2000" / "2026-06-12" / "107.txt")
    _, after = _article(TEXTS / "vreemdelingenwet_2000" / "2026-09-01" / "107.txt")
    clause = "bedoelde gegevensverstrekking vindt niet plaats, indien de persoonlijke levenssfeer"
    assert _lid_of(before, clause) == "8"
    assert _lid_of(after, clause) == "10"


def test_a_quote_that_is_not_in_the_text_fails_the_check() -> None:
    # The check itself can fail: the old lid-8 wording is not in the text valid from 1 Sept 2026.
    _, after = _article(TEXTS / "vreemdelingenwet_2000" / "2026-09-01" / "107.txt")
    old = LAW["provisions"]["vw_107_proportionality"]["versions"][0]["quote"]
    assert _normalised(old) not in _normalised(after)


def test_unverified_versions_are_the_ones_without_a_shipped_text() -> None:
    for pid, provision in LAW["provisions"].items():
        for version in provision["versions"]:
            assert version["verified"] == ("text" in version.get("source", {})), pid
            assert not (version.get("absent") and version["verified"]), pid


def test_versions_run_oldest_first_without_gaps() -> None:
    for pid, provision in LAW["provisions"].items():
        versions = provision["versions"]
        for earlier, later in zip(versions, versions[1:], strict=False):
            until = datetime.date.fromisoformat(earlier["valid_until"])
            assert until + datetime.timedelta(days=1) == datetime.date.fromisoformat(later["valid_from"]), pid
        assert "valid_until" not in versions[-1], f"{pid}: the newest version is open-ended"
        for version in versions:
            assert version["act"] in LAW["acts"], pid
            assert version["label"], pid


def test_aliases_are_unique_and_no_alias_is_an_id() -> None:
    aliases = [a for p in LAW["provisions"].values() for a in p.get("aliases", [])]
    assert len(aliases) == len(set(aliases))
    assert not set(aliases) & set(LAW["provisions"])


def _metadata_refs() -> dict[str, list[str]]:
    refs: dict[str, list[str]] = {}
    for path in sorted((ROOT / "policies" / "ketencheck").glob("*/*/*.rego")):
        if path.name.endswith("_test.rego"):
            continue
        block = re.search(r"#   legal_refs:\n((?:#     - .*\n)+)", path.read_text(encoding="utf-8"))
        if block:
            refs[path.stem] = [line.removeprefix("#     - ") for line in block.group(1).splitlines()]
    return refs


def test_every_rule_cites_provision_ids() -> None:
    # An old-style label still resolves (through aliases), but a rule must cite ids: convert it with the aliases.
    refs = _metadata_refs()
    assert refs, "no rule METADATA found"
    for rule, cited in refs.items():
        assert cited, rule
        for ref in cited:
            assert ref in LAW["provisions"], f"{rule} cites {ref!r}: write the id of its provision in catalogue/law"


def test_every_legal_basis_rests_on_known_provisions() -> None:
    for bid, basis in BASES.items():
        for pid in basis.get("law", [bid]):
            assert pid in LAW["provisions"], f"legal basis {bid}: no provision {pid} in catalogue/law"


def test_the_date_is_always_in_the_policy_input() -> None:
    assert policy_input(Request(()))["today"] == datetime.date.today().isoformat()
    assert policy_input(Request((), today=datetime.date(2026, 8, 31)))["today"] == "2026-08-31"


_FLOW = Flow(FlowId("f"), "f.flow.yaml", 1, 0, {"id": "f"})
_SOURCE = {"label": "AVG art. 5(2)", "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj", "valid_from": "2018-05-25"}


def _answer(**finding: Any) -> dict[str, Any]:
    base = {"flow": "f", "rule": "r", "severity": "warning", "message": "m", "legal_refs": ["AVG art. 5(2)"]}
    return {"findings": [{**base, **finding}], "verdicts": {"f": "allow"}}


def test_the_codec_reads_legal_sources_and_accepts_a_pack_without_them() -> None:
    request = Request([_FLOW])
    [finding] = parse_result(_answer(legal_sources=[{**_SOURCE, "verified": False}]), request, "opa").findings
    assert finding.legal_sources == (LegalSource("AVG art. 5(2)", _SOURCE["url"], "2018-05-25", False),)
    [older] = parse_result(_answer(), request, "opa").findings
    assert older.legal_sources == ()


def test_the_codec_reads_the_dutch_citation_and_texts_pick_it_in_dutch() -> None:
    dutch = "AVG art. 5 lid 2"
    answer = _answer(legal_sources=[{**_SOURCE, "verified": False, "label_nl": dutch}])
    [finding] = parse_result(answer, Request([_FLOW]), "opa").findings
    [source] = finding.legal_sources
    assert source.label_nl == dutch
    assert Texts(Lang.NL).law(source) == dutch
    assert Texts(Lang.EN).law(source) == "AVG art. 5(2)"
    # A pack from before the Dutch citations: the English label, rather than nothing.
    assert Texts(Lang.NL).law(dataclasses.replace(source, label_nl="")) == "AVG art. 5(2)"


@pytest.mark.opa
def test_the_real_policy_gives_every_legal_source_of_a_finding_its_dutch_citation(opa_binary: str) -> None:
    flows = load([str(ROOT / SEED)]).flows
    evaluation = OpaCliEngine(opa_binary).evaluate(Request(flows, today=datetime.date(2026, 11, 28)))
    cited = {(f.rule, s.label_nl) for f in evaluation.findings for s in f.legal_sources}
    assert ("integral_not_proportional", "artikel 107 lid 10 Vreemdelingenwet 2000") in cited
    assert ("integral_not_proportional", "AVG art. 5 lid 1 onder c") in cited
    assert all(label for _, label in cited)


@pytest.mark.parametrize(
    "sources",
    [
        "AVG art. 5(2)",
        [{**_SOURCE, "verified": False, "label_nl": 5}],
        [{**_SOURCE}],
        [{**_SOURCE, "verified": "yes"}],
        [{**_SOURCE, "verified": False, "url": None}],
        [{**_SOURCE, "verified": False, "label": "AVG art. 6(1)"}],
        [{**_SOURCE, "verified": False}, {**_SOURCE, "verified": False}],
    ],
)
def test_malformed_legal_sources_are_an_engine_error(sources: Any) -> None:
    # A citation that does not match its label, or lacks a field, must never reach a report as if it were law.
    with pytest.raises(EngineOutputError, match="legal sources"):
        parse_result(_answer(legal_sources=sources), Request([_FLOW]), "opa")


def test_the_python_resolver_labels_and_links_rule_metadata() -> None:
    rule = RuleInfo(RuleName("r"), "flow", "R", "R", Severity.ERROR, ("avg_5_1_c", "vw_107_proportionality", "X 1"))
    [before] = resolve_rules([rule], LAW, datetime.date(2026, 8, 31))
    assert before.legal_refs == ("AVG art. 5(1)(c)", "Vw 2000 art. 107(8)", "X 1")
    assert before.legal_sources[2] == LegalSource("X 1", "", "", False, "X 1")
    after = resolve(LAW, "vw_107_proportionality", datetime.date(2026, 9, 1))
    assert after == LegalSource(
        "Vw 2000 art. 107(10)",
        "https://wetten.overheid.nl/jci1.3:c:BWBR0011823&hoofdstuk=8&paragraaf=1&artikel=107&lid=10"
        "&z=2026-09-01&g=2026-09-01",
        "2026-09-01",
        True,
        "artikel 107 lid 10 Vreemdelingenwet 2000",
    )


@pytest.mark.opa
@pytest.mark.parametrize("day", ["2025-01-01", "2026-06-11", "2026-08-31", "2026-09-01", "2026-11-28"])
def test_the_python_resolver_agrees_with_the_policy(opa_binary: str, day: str) -> None:
    done = subprocess.run(
        [opa_binary, "eval", "--format=json", "--stdin-input", "-d", str(ROOT / "policies"), "data.ketencheck.lib.law"],
        input=json.dumps({"today": day}),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    resolved = json.loads(done.stdout)["result"][0]["expressions"][0]["value"]["resolved"]
    absent = {pid for pid in LAW["provisions"] if resolve(LAW, pid, datetime.date.fromisoformat(day)) is None}
    assert set(resolved) == set(LAW["provisions"]) - absent
    for pid, source in resolved.items():
        ours = resolve(LAW, pid, datetime.date.fromisoformat(day))
        assert ours is not None
        assert (ours.label, ours.label_nl, ours.url, ours.valid_from, ours.verified) == (
            source["label"],
            source["label_nl"],
            source["url"],
            source["valid_from"],
            source["verified"],
        ), pid


# The provisions the rules cite, as Dutch text cites them on 28 November 2026: from the law catalogue's structure.
_DUTCH = {
    "avg_5_1_a": "AVG art. 5 lid 1 onder a",
    "avg_5_1_c": "AVG art. 5 lid 1 onder c",
    "avg_5_1_d": "AVG art. 5 lid 1 onder d",
    "avg_5_2": "AVG art. 5 lid 2",
    "avg_25_2": "AVG art. 25 lid 2",
    "avg_30_1_f": "AVG art. 30 lid 1 onder f",
    "avg_35_3_b": "AVG art. 35 lid 3 onder b",
    "avg_5_1_b": "AVG art. 5 lid 1 onder b",
    "avg_5_1_e": "AVG art. 5 lid 1 onder e",
    "avg_6_1": "AVG art. 6 lid 1",
    "avg_9_1": "AVG art. 9 lid 1",
    "avg_10": "AVG art. 10",
    "avg_32": "AVG art. 32",
    "avg_35_1": "AVG art. 35 lid 1",
    "vw_107_4": "artikel 107 lid 4 Vreemdelingenwet 2000",
    "vw_107_designated_organisations": "artikel 107 lid 8 Vreemdelingenwet 2000",
    "vw_107_proportionality": "artikel 107 lid 10 Vreemdelingenwet 2000",
    "vw_107_2_a": "artikel 107 lid 2 onder a Vreemdelingenwet 2000",
    "vw_107a": "artikel 107a Vreemdelingenwet 2000",
    "uavg_22_2_e": "artikel 22 lid 2 onder e UAVG",
    "uavg_31": "artikel 31 UAVG",
    "vv_7_1c_2": "artikel 7.1c lid 2 Voorschrift Vreemdelingen 2000",
    "bw_1_302": "artikel 1:302 lid 2 BW",
    "awb_8_42": "artikel 8:42 Awb",
    "wet_brp": "Wet BRP",
}


@pytest.mark.parametrize(("pid", "dutch"), list(_DUTCH.items()))
def test_the_dutch_citation_comes_from_the_structure_of_the_catalogue(pid: str, dutch: str) -> None:
    source = resolve(LAW, pid, datetime.date(2026, 11, 28))
    assert source is not None and source.label_nl == dutch


def test_every_act_has_a_dutch_citation_name_and_every_version_a_dutch_label() -> None:
    assert all(act.get("name_nl") for act in LAW["acts"].values())
    for pid, provision in LAW["provisions"].items():
        for version in provision["versions"]:
            source = resolve(LAW, pid, datetime.date.fromisoformat(version["valid_from"]))
            assert source is None or source.label_nl, pid


def test_every_provision_a_rule_cites_has_a_dutch_citation_that_is_tested() -> None:
    cited = {
        line.removeprefix("#     - ")
        for path in (ROOT / "policies" / "ketencheck").glob("*/*/*.rego")
        if not path.name.endswith("_test.rego")
        for block in re.findall(r"#   legal_refs:\n((?:#     - .*\n)+)", path.read_text(encoding="utf-8"))
        for line in block.splitlines()
    }
    assert cited, "no rule METADATA found"
    assert cited <= set(_DUTCH), sorted(cited - set(_DUTCH))


def _integral_finding(report: dict[str, Any]) -> dict[str, Any]:
    flow = next(f for f in report["flows"] if f["id"] == "ind-coa-afwijzing-integraal")
    finding: dict[str, Any] = next(f for f in flow["findings"] if f["rule"] == "integral_not_proportional")
    return finding


@pytest.mark.opa
def test_check_cites_lid_8_on_31_august_2026_with_its_link(opa_binary: str) -> None:
    done = run_cli("check", "--today", "2026-08-31", SEED)
    assert done.returncode == 1, done.stderr
    assert "law: AVG art. 5(1)(c) (text not verified); Vw 2000 art. 107(4); Vw 2000 art. 107(8)\n" in done.stdout
    lid_8 = "jci1.3:c:BWBR0011823&hoofdstuk=8&paragraaf=1&artikel=107&lid=8&z=2026-08-31&g=2026-08-31"
    assert f"https://wetten.overheid.nl/{lid_8}\n" in done.stdout
    assert "107(10)" not in done.stdout
    finding = _integral_finding(json.loads(run_cli("check", "--format", "json", "--today", "2026-08-31", SEED).stdout))
    assert finding["legal_refs"] == ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)", "Vw 2000 art. 107(8)"]
    assert finding["legal_sources"][2] == {
        "label": "Vw 2000 art. 107(8)",
        "url": f"https://wetten.overheid.nl/{lid_8}",
        "valid_from": "2026-06-12",
        "verified": True,
    }


@pytest.mark.opa
def test_check_cites_lid_10_on_28_november_2026_with_its_link(opa_binary: str) -> None:
    done = run_cli("check", "--today", "2026-11-28", SEED)
    assert done.returncode == 1, done.stderr
    assert "law: AVG art. 5(1)(c) (text not verified); Vw 2000 art. 107(4); Vw 2000 art. 107(10)\n" in done.stdout
    lid_10 = "jci1.3:c:BWBR0011823&hoofdstuk=8&paragraaf=1&artikel=107&lid=10&z=2026-11-28&g=2026-11-28"
    assert f"https://wetten.overheid.nl/{lid_10}\n" in done.stdout
    # No note about the old number once the new one is in force.
    assert "lid 8" not in done.stdout and "107(8)" not in done.stdout
    sarif = json.loads(run_cli("check", "--format", "sarif", "--today", "2026-11-28", SEED).stdout)
    run = sarif["runs"][0]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "integral_not_proportional")
    assert rule["helpUri"] == "https://eur-lex.europa.eu/eli/reg/2016/679/oj"
    assert rule["properties"]["legalReferences"] == ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)", "Vw 2000 art. 107(10)"]
    result = next(r for r in run["results"] if r["ruleId"] == "integral_not_proportional")
    assert result["properties"]["legal_sources"][2]["url"] == f"https://wetten.overheid.nl/{lid_10}"


@pytest.mark.opa
def test_a_finding_on_an_unverified_basis_says_so(opa_binary: str, tmp_path: Path) -> None:
    flow = (ROOT / "examples" / "seed" / "ind-coa-extracten.flow.yaml").read_text(encoding="utf-8")
    path = tmp_path / "missing.flow.yaml"
    path.write_text(flow.replace("legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e]", "legal_basis: [avg_6_1_c]", 1))
    report = json.loads(run_cli("check", "--format", "json", "--today", "2026-11-28", str(path)).stdout)
    messages = [f["message"] for r in report["flows"] for f in r["findings"] if f["rule"] == "legal_basis_incomplete"]
    assert any("vv_7_1e (VV 2000 art. 7.1e, text not verified)" in m for m in messages), messages
