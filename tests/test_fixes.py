"""Fixes and suggestions that help, not mislead (issue 16, items 8 and 9): through the real CLI and OPA."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import INTEGRAL, LAWFUL, report_json, run_cli, write


@pytest.mark.opa
def test_a_legal_basis_is_never_corrected_into_another_ground(tmp_path: Path, opa_binary: str) -> None:
    # Issue 16, item 8: avg_9_2_i (public health) got `fix: legal_basis: [avg_6_1_e, avg_9_2_g]` (substantial
    # public interest), a spelling guess. The fix is what the row requires; a typo'd id is a labelled guess.
    flows = write(
        tmp_path,
        "a.flow.yaml",
        LAWFUL.replace("legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e]", "legal_basis: [avg_6_1_e, avg_9_2_i]").replace(
            "to: COA", "to: CAO"
        ),
    )
    done = run_cli("check", "--format", "json", str(flows))
    assert done.returncode == 1, done.stdout
    findings = [
        f for fl in report_json(done.stdout)["flows"] for f in fl["findings"] if f["rule"] == "unknown_reference"
    ]
    recipient = next(f for f in findings if f["subject"]["key"] == "to")
    assert recipient["message"] == "unknown recipient 'CAO'; did you mean 'COA'? (a guess from the spelling)"
    basis = next(f for f in findings if f["subject"]["key"] == "legal_basis")
    assert "avg_9_2_g" not in basis.get("fix", "") + basis["message"]
    assert "did you mean" not in basis["message"]
    # The recipient is unknown too, so there is no row: nothing is proposed, the catalogue is named.
    assert "fix" not in basis and "ketencheck catalogue legal-bases" in basis["message"]
    write(tmp_path, "a.flow.yaml", flows.read_text(encoding="utf-8").replace("to: CAO", "to: COA"))
    again = run_cli("check", str(flows))
    assert "fix:\n            legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e]" in again.stdout, again.stdout
    assert "avg_9_2_g" not in again.stdout


@pytest.mark.opa
def test_every_field_the_row_admits_is_offered_as_an_upper_bound(tmp_path: Path, opa_binary: str) -> None:
    # Issue 16, item 9: explain and the integral_not_proportional fix offered all 10 admitted fields as "the
    # minimal lawful alternative" while the lawful extract of the README uses 4.
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    checked = run_cli("check", "--format", "json", str(flows))
    (finding,) = [
        f
        for fl in report_json(checked.stdout)["flows"]
        for f in fl["findings"]
        if f["rule"] == "integral_not_proportional"
    ]
    assert finding["fix"].endswith("]  # at most these fields; keep only what the task needs")
    explained = run_cli("explain", "ind-coa-integraal", str(flows))
    assert "minimal lawful alternative" not in explained.stdout
    (fields,) = [line for line in explained.stdout.splitlines() if line.lstrip().startswith("fields:")]
    assert fields.endswith("  # at most these fields; keep only what the task needs")
    # A flow that lists fields gets the intersection with what the row admits, said as such.
    surplus = LAWFUL.replace("fields: [v_nummer, rechtmatig_verblijf]", "fields: [v_nummer, asielmotief, naam_partner]")
    write(tmp_path, "a.flow.yaml", surplus)
    document = report_json(run_cli("explain", "--format", "json", "ind-coa-einde-opvang", str(flows)).stdout)
    assert [a["fields"] for a in document["alternatives"]] == [["v_nummer"]]
    assert document["fields_note"] == ["the fields the flow lists that the row admits"]
