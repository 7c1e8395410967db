"""Properties of the checker over generated flows (hypothesis), on the real opa.

(a) it never crashes: any input gives a verdict or an input error; (b) minimisation is monotone; (c) the JSON
report is deterministic whatever the order of the files on disk.
"""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine.interface import Request
from checker.engine.opa_cli import OpaCliEngine
from checker.loader import load
from checker.model import Flow, FlowId, FlowResult, Report, Verdict
from tests.conftest import ROOT, run_cli

pytestmark = pytest.mark.opa

CATALOGUE = ROOT / "policies" / "ketencheck" / "catalogue"
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _section(name: str) -> Any:
    return yaml.safe_load((CATALOGUE / name / "data.yaml").read_text(encoding="utf-8"))


DOCUMENTS = _section("documents")
FIELDS = _section("fields")
BASES = _section("legal_bases")
ROWS = _section("matrix")["rows"]
EXTRACT_CASES = [
    (row, recipient, document)
    for row in ROWS
    if row["form"] == "extract"
    for recipient in row["recipients"]
    for document in (sorted(DOCUMENTS) if "*" in row["documents"] else row["documents"])
    if set(row["fields"]) & set(DOCUMENTS[document]["fields"])
]


def _bases(row: dict[str, Any], fields: list[str]) -> list[str]:
    categories = {FIELDS[f]["category"] for f in fields}
    return [b for b in row["bases"] if BASES[b]["kind"] == "general" or BASES[b]["kind"] in categories]


@st.composite
def lawful_extracts(draw: st.DrawFn) -> dict[str, Any]:
    """An extract that its matrix row allows: a non-empty subset of the row's fields the document holds."""
    row, recipient, document = draw(st.sampled_from(EXTRACT_CASES))
    admitted = [f for f in row["fields"] if f in DOCUMENTS[document]["fields"]]
    fields = draw(st.lists(st.sampled_from(admitted), min_size=1, max_size=len(admitted), unique=True))
    originator = DOCUMENTS[document]["originator"]
    flow: dict[str, Any] = {
        "id": "generated",
        "from": originator if originator != recipient else "IND",
        "to": recipient,
        "document": document,
        "form": "extract",
        "fields": fields,
        "purpose": row["purpose"],
        "legal_basis": _bases(row, fields),
        "retention": "P1D",
    }
    if "channel" in row:
        flow["channel"] = row["channel"]
    return flow


@pytest.fixture(scope="module")
def engine(opa_binary: str) -> OpaCliEngine:
    return OpaCliEngine(opa_binary)


def _verdict(engine: OpaCliEngine, document: dict[str, Any]) -> Verdict:
    flow = Flow(FlowId(document["id"]), "generated.flow.yaml", 1, 0, document)
    findings = engine.evaluate(Request([flow])).findings
    return FlowResult(flow, tuple(findings)).verdict


# (b) Monotonicity of minimisation.


@SETTINGS
@given(flow=lawful_extracts(), data=st.data())
def test_removing_a_field_from_an_allowed_extract_keeps_it_allowed(
    engine: OpaCliEngine, flow: dict[str, Any], data: st.DataObject
) -> None:
    assert _verdict(engine, flow) is Verdict.ALLOW
    if len(flow["fields"]) > 1:
        dropped = data.draw(st.sampled_from(flow["fields"]))
        fields = [f for f in flow["fields"] if f != dropped]
        smaller = {**flow, "fields": fields, "legal_basis": _bases_for(flow, fields)}
        assert _verdict(engine, smaller) is Verdict.ALLOW


def _bases_for(flow: dict[str, Any], fields: list[str]) -> list[str]:
    row = next(
        r
        for r in ROWS
        if flow["to"] in r["recipients"]
        and r["purpose"] == flow["purpose"]
        and (flow["document"] in r["documents"] or "*" in r["documents"])
    )
    return _bases(row, fields)


@SETTINGS
@given(flow=lawful_extracts(), data=st.data())
def test_adding_a_field_the_row_does_not_admit_denies_it(
    engine: OpaCliEngine, flow: dict[str, Any], data: st.DataObject
) -> None:
    row = next(
        r
        for r in ROWS
        if flow["to"] in r["recipients"]
        and r["purpose"] == flow["purpose"]
        and (flow["document"] in r["documents"] or "*" in r["documents"])
    )
    surplus = sorted(set(DOCUMENTS[flow["document"]]["fields"]) - set(row["fields"]))
    if surplus:
        extra = data.draw(st.sampled_from(surplus))
        assert _verdict(engine, {**flow, "fields": [*flow["fields"], extra]}) is Verdict.DENY


@SETTINGS
@given(flow=lawful_extracts().filter(lambda f: f["to"] == "COA"))
def test_adding_asielmotief_to_any_flow_to_coa_denies_it(engine: OpaCliEngine, flow: dict[str, Any]) -> None:
    assert _verdict(engine, {**flow, "fields": [*flow["fields"], "asielmotief"]}) is Verdict.DENY


# (a) It never crashes: arbitrary documents give input errors or verdicts, never an exception.

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.text(max_size=12),
    st.sampled_from(sorted(DOCUMENTS) + sorted(FIELDS) + ["IND", "COA", "GEMEENTE", "extract", "integral"]),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_flowish = st.fixed_dictionaries(
    {},
    optional={
        "id": st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True),
        "from": _scalars, "to": _scalars, "document": _scalars, "form": _scalars, "fields": _values,
        "purpose": _scalars, "legal_basis": _values, "channel": _scalars, "retention": _scalars, "volume": _scalars,
    },
)  # fmt: skip


@SETTINGS
@given(
    document=st.one_of(
        _values,
        st.fixed_dictionaries(
            {"version": st.just(1), "flows": st.lists(st.one_of(_flowish, lawful_extracts()), max_size=5)}
        ),
    )
)
def test_any_document_gives_a_verdict_or_an_input_error(
    engine: OpaCliEngine, tmp_path_factory: pytest.TempPathFactory, document: Any
) -> None:
    directory = tmp_path_factory.mktemp("any")
    if isinstance(document, dict) and isinstance(document.get("flows"), list):
        for i, flow in enumerate(document["flows"]):
            if isinstance(flow, dict) and "id" in flow:
                flow["id"] = f"{flow['id']}-{i}"
    path = directory / "generated.flow.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    loaded = load([str(path)])
    assert loaded.flows or loaded.errors
    if loaded.flows:
        evaluation = engine.evaluate(Request(loaded.flows))
        report = Report.create(loaded.flows, evaluation.findings, loaded.errors, evaluation.engine)
        assert {r.verdict for r in report.results} <= {Verdict.ALLOW, Verdict.DENY}


# (c) Determinism: the same files, written in any order, give a byte-identical report.


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(flows=st.lists(lawful_extracts(), min_size=2, max_size=8), order=st.randoms(use_true_random=False))
def test_the_report_does_not_depend_on_the_order_of_files_on_disk(
    tmp_path_factory: pytest.TempPathFactory, flows: list[dict[str, Any]], order: Any
) -> None:
    for i, flow in enumerate(flows):
        flow["id"] = f"flow-{i}"
    outputs = []
    for attempt in range(2):
        base = tmp_path_factory.mktemp(f"order{attempt}")
        names = [f"{i:02d}.flow.yaml" for i in range(len(flows))]
        pairs = list(zip(names, flows, strict=True))
        order.shuffle(pairs)  # create the files in another order each time
        (base / "flows").mkdir()
        for name, flow in pairs:
            (base / "flows" / name).write_text(yaml.safe_dump({"version": 1, "flows": [flow]}), encoding="utf-8")
        outputs.append(run_cli("check", "--format", "json", "--today", "2026-11-28", "flows", cwd=base).stdout)
        shutil.rmtree(base)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["summary"]["flows"] == len(flows)
