"""Golden files for every output format, including the empty and the broken-input cases."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable

import pytest

from checker.format import FormatChoice
from checker.model import (
    EngineInfo,
    Finding,
    FlowId,
    InvalidInput,
    LegalSource,
    Report,
    RuleName,
    Severity,
    Waiver,
    WaiverResult,
    WaiverStatus,
)
from checker.model import Flow as FlowModel

_SEED = {
    "id": "ind-coa-integraal",
    "from": "IND",
    "to": "COA",
    "document": "beschikking_afwijzend",
    "form": "integral",
    "purpose": "einde_opvang",
}


def _report() -> Report:
    flows = [
        FlowModel(FlowId("ind-coa-integraal"), "flows/seed.flow.yaml", 3, 0, _SEED),
        FlowModel(FlowId("ind-coa-extract"), "flows/seed.flow.yaml", 12, 1, {**_SEED, "id": "ind-coa-extract"}),
    ]
    findings = [
        Finding(
            FlowId("ind-coa-integraal"),
            RuleName("integral_not_proportional"),
            Severity.ERROR,
            "COA may receive beschikking_afwijzend for einde_opvang only as an extract of at most 10 fields",
            ("AVG art. 5(1)(c)", "Vw 2000 art. 107(4)"),
            "form: extract\nfields: [v_nummer, rechtmatig_verblijf]",
            "Integral where an extract suffices",
            legal_sources=(
                LegalSource("AVG art. 5(1)(c)", "https://eur-lex.europa.eu/eli/reg/2016/679/oj", "2018-05-25", False),
                LegalSource(
                    "Vw 2000 art. 107(4)",
                    "https://wetten.overheid.nl/jci1.3:c:BWBR0011823&hoofdstuk=8&paragraaf=1&artikel=107&lid=4"
                    "&z=2026-11-28&g=2026-11-28",
                    "2026-09-01",
                    True,
                ),
            ),
        ),
        Finding(
            FlowId("ind-coa-extract"),
            RuleName("legal_basis_not_applicable"),
            Severity.WARNING,
            "ind-coa-extract cites avg_9_2_a, which the row does not list",
            ("AVG art. 5(2)",),
        ),
    ]
    errors = [InvalidInput("flows/broken.flow.yaml", 7, "flows[2].fields: required when form is extract")]
    return Report.create(flows, findings, errors, EngineInfo("opa", "1.22.3", {"name": "vreemdelingenketen"}))


_EMPTY = Report.create([], [], [], EngineInfo("opa", "1.22.3", {"name": "vreemdelingenketen"}))


def _waiver(rule: str, flow: str, expires: str, line: int) -> Waiver:
    return Waiver(
        FlowId(flow),
        RuleName(rule),
        "Transition until the extract interface is live on 1 March",
        "FG",
        "DPIA-2026-004",
        datetime.date.fromisoformat(expires),
        "waivers.yaml",
        line,
    )


def _waived() -> Report:
    """The seed's finding accepted by a waiver, next to an expired and an unmatched waiver."""
    base = _report()
    applied = _waiver("integral_not_proportional", "ind-coa-integraal", "2026-12-31", 3)
    results = tuple(
        dataclasses.replace(
            r,
            findings=tuple(dataclasses.replace(f, waiver=applied) if f.rule == applied.rule else f for f in r.findings),
        )
        for r in base.results
    )
    waivers = (
        WaiverResult(applied, WaiverStatus.APPLIED),
        WaiverResult(_waiver("legal_basis_not_applicable", "ind-coa-extract", "2026-01-31", 10), WaiverStatus.EXPIRED),
        WaiverResult(_waiver("self_flow", "elsewhere", "2027-01-31", 17), WaiverStatus.UNMATCHED),
    )
    return Report(results, (), base.engine, waivers)


@pytest.mark.parametrize("choice", list(FormatChoice))
@pytest.mark.parametrize(("case", "report"), [("findings", _report()), ("empty", _EMPTY), ("waived", _waived())])
def test_golden(choice: FormatChoice, case: str, report: Report, golden: Callable[[str, str], None]) -> None:
    golden(f"{case}.{choice.value}", choice.to_formatter().render(report))


def test_every_choice_has_a_formatter() -> None:
    for choice in FormatChoice:
        assert choice.to_formatter() is not None


def test_colour_only_when_asked() -> None:
    assert "\x1b[" not in FormatChoice.TEXT.to_formatter(color=False).render(_report())
    assert "\x1b[" in FormatChoice.TEXT.to_formatter(color=True).render(_report())


def test_a_waived_error_allows_the_flow_and_an_unmatched_waiver_warns() -> None:
    report = _waived()
    assert [r.verdict.value for r in report.results] == ["allow", "allow"]
    assert report.waived == 1
    assert report.exit_code(Severity.ERROR) == 0
    assert report.count(Severity.WARNING) == 3  # the finding and the two waivers that did not apply
    assert report.exit_code(Severity.WARNING) == 1
