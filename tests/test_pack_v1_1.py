"""Policy pack 1.1 end to end: each change of shared/domain.md v1.1, through the real CLI on the real opa."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import report_json, run_cli, write

pytestmark = pytest.mark.opa


@pytest.fixture(autouse=True)
def _needs_opa(opa_binary: str) -> None:
    """Every test here runs the real opa; in CI a missing one fails the run."""


def _flow(flow_id: str, sender: str, recipient: str, document: str, purpose: str, bases: list[str], **rest: Any) -> str:
    lines = [
        f"  - id: {flow_id}",
        f"    from: {sender}",
        f"    to: {recipient}",
        f"    document: {document}",
        f"    form: {rest.pop('form', 'integral')}",
        f"    purpose: {purpose}",
        f"    legal_basis: [{', '.join(bases)}]",
        f"    retention: {rest.pop('retention', 'P1Y')}",
    ]
    lines += [f"    {key}: {value}" for key, value in rest.items()]
    return "\n".join(lines) + "\n"


def _check(tmp_path: Path, *flows: str, extra: tuple[str, ...] = ()) -> tuple[int, dict[str, Any]]:
    path = write(tmp_path, "set.flow.yaml", "version: 1\nflows:\n" + "".join(flows))
    done = run_cli("check", "--format", "json", *extra, str(path))
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, report_json(done.stdout)


def _findings(report: dict[str, Any], flow_id: str) -> dict[str, dict[str, Any]]:
    [flow] = [f for f in report["flows"] if f["id"] == flow_id]
    return {finding["rule"]: finding for finding in flow["findings"]}


def _verdicts(report: dict[str, Any]) -> dict[str, str]:
    return {f["id"]: f["verdict"] for f in report["flows"]}


# 1. Vw 2000 art. 107a covers criminal data: an integral entry ban citing avg_10 without it was allowed by pack 1.0.
def test_an_entry_ban_without_vw_107a_is_denied_and_with_it_allowed_without_a_warning(tmp_path: Path) -> None:
    without = _flow("ib-without", "IND", "DTV", "inreisverbod", "terugkeer", ["avg_6_1_c", "vw_107_4", "avg_10"])
    with_it = _flow(
        "ib-with", "IND", "DTV", "inreisverbod", "terugkeer", ["avg_6_1_c", "vw_107_4", "vw_107a", "avg_10"]
    )
    code, report = _check(tmp_path, without, with_it)
    assert code == 1
    assert _verdicts(report) == {"ib-without": "deny", "ib-with": "allow"}
    found = _findings(report, "ib-without")
    assert list(found) == ["legal_basis_incomplete"]
    assert found["legal_basis_incomplete"]["message"].endswith("missing: vw_107a (Vw 2000 art. 107a)")
    assert found["legal_basis_incomplete"]["fix"] == "legal_basis: [avg_6_1_c, vw_107_4, vw_107a, avg_10]"
    assert _findings(report, "ib-with") == {}  # no legal_basis_not_applicable for vw_107a any more


# 2. Biometrics have their own ground: Vw 2000 art. 107(4) excludes facial images and fingerprints.
def test_identity_documents_with_biometrie_need_vw_107_2_a(tmp_path: Path) -> None:
    v1 = ["avg_6_1_c", "vw_107_4", "vw_107a", "vv_7_1b"]
    code, report = _check(
        tmp_path,
        _flow("id-v1", "IND", "KMAR", "identiteitsdocumenten", "vreemdelingentoezicht", v1),
        _flow("id-v11", "IND", "KMAR", "identiteitsdocumenten", "vreemdelingentoezicht", [*v1, "vw_107_2_a"]),
        _flow("dublin-v1", "IND", "DTV", "dublin_claim", "terugkeer", v1),
    )
    assert code == 1
    assert _verdicts(report) == {"id-v1": "deny", "id-v11": "allow", "dublin-v1": "deny"}
    for flow_id in ("id-v1", "dublin-v1"):
        found = _findings(report, flow_id)
        assert list(found) == ["special_category_data"]  # biometrie is special-category data
        assert found["special_category_data"]["message"].endswith(
            "without citing the exception its row requires: vw_107_2_a"
        )


# 3. IND as a recipient: the example's inbound chain is allowed; in pack 1.0 each flow was no_need_to_know.
def test_the_inbound_chain_into_ind_is_allowed() -> None:
    done = run_cli("check", "--format", "json", "examples/chain/asielprocedure.flow.yaml")
    assert done.returncode == 0, done.stdout
    report = report_json(done.stdout)
    assert _verdicts(report) == {
        "advocaat-ind-zienswijze": "allow",
        "bz-ind-ambtsbericht": "allow",
        "ind-bma-adviesaanvraag": "allow",
        "bma-ind-advies": "allow",
    }
    assert all(flow["findings"] == [] for flow in report["flows"])


def test_ind_receives_nothing_else_and_the_request_for_medical_advice_goes_in_writing(tmp_path: Path) -> None:
    code, report = _check(
        tmp_path,
        _flow("advocaat-ind-gehoor", "ADVOCAAT", "IND", "aanmeldgehoor", "asielbeoordeling", ["avg_6_1_e"]),
        _flow(
            "ind-bma-bvv",
            "IND",
            "BMA",
            "adviesaanvraag_medisch",
            "medische_advisering",
            ["avg_6_1_e", "avg_9_2_a", "vv_7_1c"],
            channel="bvv",
        ),
        _flow(
            "advocaat-ind-correcties",
            "ADVOCAAT",
            "IND",
            "correcties_aanvullingen",
            "asielbeoordeling",
            ["avg_6_1_e", "vw_107a", "avg_9_2_g"],
        ),
    )
    assert code == 1
    assert _verdicts(report) == {
        "advocaat-ind-gehoor": "deny",
        "ind-bma-bvv": "deny",
        "advocaat-ind-correcties": "allow",
    }
    assert "no_need_to_know" in _findings(report, "advocaat-ind-gehoor")
    assert list(_findings(report, "ind-bma-bvv")) == ["channel_required"]


# 4. Provenance per document and field, after waivers.
def test_a_field_of_the_same_name_in_another_document_is_no_source(tmp_path: Path) -> None:
    code, report = _check(
        tmp_path,
        _flow("bma-ind", "BMA", "IND", "medisch_advies", "asielbeoordeling", ["avg_6_1_e", "vw_107a", "avg_9_2_g"]),
        _flow(
            "bma-rechter",
            "BMA",
            "RECHTER",
            "leeftijdsonderzoek",
            "rechterlijke_toetsing",
            ["avg_6_1_c", "avg_9_2_f", "awb_8_42"],
            form="extract",
            fields="[v_nummer, medische_gegevens]",
        ),
    )
    assert code == 1
    provenance = _findings(report, "bma-rechter")["provenance"]
    assert provenance["message"] == (
        "BMA is not the originator of leeftijdsonderzoek (IND is) and has no lawful source in this set for "
        "medische_gegevens, v_nummer; no allowed flow in this set delivers leeftijdsonderzoek to BMA"
    )
    assert provenance["fix"].startswith("from: IND")  # never BMA's own v_nummer or medische_gegevens


def test_a_flow_whose_errors_are_waived_is_a_lawful_source(tmp_path: Path) -> None:
    upstream = _flow(
        "ind-coa",
        "IND",
        "COA",
        "beschikking_toewijzend",
        "huisvesting_vergunninghouders",
        ["avg_6_1_c", "vw_107_4"],
        form="extract",
        fields="[v_nummer, naam]",
    )
    downstream = _flow(
        "coa-gemeente",
        "COA",
        "GEMEENTE",
        "beschikking_toewijzend",
        "huisvesting_vergunninghouders",
        ["avg_6_1_c", "vw_107_4", "vv_7_1e", "huisvestingswet_28"],
        form="extract",
        fields="[v_nummer, naam]",
    )
    waivers = write(
        tmp_path,
        "w.waivers.yaml",
        "version: 1\nwaivers:\n  - flow: ind-coa\n    rule: legal_basis_incomplete\n"
        "    justification: the designating regulation is being amended\n    approver: FG\n"
        "    dpia: DPIA-1\n    expires: 2027-01-31\n",
    )
    code, report = _check(tmp_path, upstream, downstream, extra=("--waivers", str(waivers), "--today", "2026-11-28"))
    assert code == 0, report
    assert _verdicts(report) == {"ind-coa": "allow", "coa-gemeente": "allow"}
    # After the waiver expires the upstream flow is denied again, and with it the downstream flow's source.
    code, report = _check(tmp_path, upstream, downstream, extra=("--waivers", str(waivers), "--today", "2027-02-01"))
    assert code == 1
    provenance = _findings(report, "coa-gemeente")["provenance"]
    assert provenance["message"].endswith("no allowed flow in this set delivers beschikking_toewijzend to COA")


# 5. A recipient that is not a bestuursorgaan: Vw 2000 art. 107(8), and the pack knows no designation.
def test_no_need_to_know_for_a_recipient_that_is_not_a_bestuursorgaan_cites_lid_8(tmp_path: Path) -> None:
    code, report = _check(
        tmp_path,
        _flow("ind-vwn", "IND", "VWN", "beschikking_afwijzend", "opvang", ["avg_6_1_c"]),
        _flow("ind-ggd", "IND", "GGD", "beschikking_afwijzend", "opvang", ["avg_6_1_c"]),
    )
    assert code == 1
    vwn = _findings(report, "ind-vwn")["no_need_to_know"]
    assert vwn["legal_refs"] == ["AVG art. 5(1)(c)", "Vw 2000 art. 107(8)"]
    assert "VWN is not a bestuursorgaan" in vwn["message"]
    assert "this pack knows no such designation" in vwn["message"]
    assert _findings(report, "ind-ggd")["no_need_to_know"]["legal_refs"] == ["AVG art. 5(1)(c)", "Vw 2000 art. 107(4)"]


def test_the_catalogue_and_the_rules_page_show_who_is_a_bestuursorgaan() -> None:
    listing = run_cli("catalogue", "partners").stdout.splitlines()
    assert listing[0].split()[:3] == ["id", "name", "bestuursorgaan"]
    assert [line.split("  ")[0] for line in listing if "  no  " in line] == [
        "ADVOCAAT",
        "GZA",
        "NIDOS",
        "RECHTER",
        "VWN",
    ]
    partners = json.loads(run_cli("catalogue", "partners", "--format", "json").stdout)
    assert partners["RECHTER"]["bestuursorgaan"] is False
    docs = run_cli("policy", "docs").stdout
    assert "| `VWN` | VluchtelingenWerk Nederland | no |" in docs
    assert (
        "| [`no_need_to_know`](#no-need-to-know) | flow | error | No need to know "
        "| AVG art. 5(1)(c); Vw 2000 art. 107(4); Vw 2000 art. 107(8) |" in docs
    )
    assert "| `vw_107_2_a` | biometric | Vw 2000 art. 107(2)(a) |" in docs
    assert (
        "| `bma-adviesaanvraag` | BMA | adviesaanvraag_medisch | medische_advisering | integral; channel schriftelijk |"
        in docs
    )


# 7. Retention maxima from record-keeping duties are pack defaults, and the findings say so.
def test_retention_findings_say_pack_default_for_an_unverified_maximum(tmp_path: Path) -> None:
    flows = (
        _flow(
            "ind-coa-dwangsom",
            "IND",
            "COA",
            "dwangsom_betaling",
            "eigen_bijdrage",
            ["avg_6_1_c", "vw_107_4", "vv_7_1e"],
            form="extract",
            fields="[v_nummer, dwangsom_bedrag]",
            retention="P8Y",
        ),
    )
    code, report = _check(tmp_path, *flows)
    assert code == 0
    message = _findings(report, "ind-coa-dwangsom")["retention_exceeds_purpose"]["message"]
    assert message.startswith(
        "retention P8Y is longer than the P7Y allowed for eigen_bijdrage (pack default, not set by law: "
    )
    assert "AWR art. 52(4)" in message and "sets a minimum" in message


def test_the_pack_is_version_1_1(tmp_path: Path) -> None:
    legal = json.loads(run_cli("catalogue", "legal-bases", "--format", "json").stdout)
    assert {legal["vw_107a"]["kind"], legal["vw_107_2_a"]["kind"], legal["vw_107_7"]["kind"]} == {
        "special_or_criminal",
        "biometric",
        "general",
    }
    _, report = _check(tmp_path, _flow("x", "IND", "DTV", "vertrekbesluit", "terugkeer", ["avg_6_1_c", "vw_107_4"]))
    assert report["engine"]["revision"].startswith("1.1.0+")
