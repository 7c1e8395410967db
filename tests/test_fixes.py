"""Fixes and suggestions that help, not mislead (issue 16, items 8 and 9): through the real CLI and OPA."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import LAWFUL, report_json, run_cli, write


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
