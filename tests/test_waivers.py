"""Waiver files: valid, expired, unmatched and malformed, through the loader and the real CLI."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from checker.errors import InputError
from checker.waivers import load_waivers
from tests.conftest import INTEGRAL, LAWFUL, report_json, run_cli, write

WAIVER = """\
version: 1
waivers:
  - flow: ind-coa-integraal
    rule: integral_not_proportional
    justification: Transition until the extract interface is live on 1 March
    approver: FG
    dpia: DPIA-2026-004
    expires: {expires}
"""


def _waivers(tmp_path: Path, expires: str = "2026-12-31", extra: str = "") -> str:
    return str(write(tmp_path, "waivers.yaml", WAIVER.format(expires=expires) + extra))


def test_a_valid_waiver_file(tmp_path: Path) -> None:
    (waiver,) = load_waivers(_waivers(tmp_path))
    assert (waiver.flow, waiver.rule, waiver.approver, waiver.dpia) == (
        "ind-coa-integraal",
        "integral_not_proportional",
        "FG",
        "DPIA-2026-004",
    )
    assert waiver.expires == datetime.date(2026, 12, 31)
    assert waiver.line == 3


def test_a_quoted_date_is_read_as_well(tmp_path: Path) -> None:
    (waiver,) = load_waivers(_waivers(tmp_path, '"2026-12-31"'))
    assert waiver.expires == datetime.date(2026, 12, 31)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("version: 1\nwaivers: []\n", "waivers.yaml:2: waivers: must be a non-empty list of waivers"),
        (
            WAIVER.format(expires="2026-12-31").replace("    approver: FG\n", ""),
            "waivers.yaml:3: waivers[0].approver: required",
        ),
        (
            WAIVER.format(expires="2026-12-31").replace(
                "Transition until the extract interface is live on 1 March", "ok"
            ),
            "waivers.yaml:5: waivers[0].justification: must say why the finding is accepted (at least 20 characters)",
        ),
        (WAIVER.format(expires="next year"), "waivers.yaml:8: waivers[0].expires: must be a date YYYY-MM-DD"),
        (WAIVER.format(expires="2026-02-30"), "waivers.yaml:3: waivers[0].expires: 2026-02-30 is not a date"),
        (WAIVER.format(expires="2026-12-31") + "    owner: me\n", "waivers.yaml:9: waivers[0].owner: unknown key"),
        ("version: 1\nwaivers: [\n", "waivers.yaml:3: invalid YAML"),
        (
            WAIVER.format(expires="2026-12-31") + WAIVER.format(expires="2027-01-31").split("waivers:\n")[1],
            "waivers.yaml:9: waivers[1]: a second waiver for integral_not_proportional on ind-coa-integraal "
            "(the first is at line 3)",
        ),
    ],
)
def test_a_malformed_waiver_file_is_an_input_error(tmp_path: Path, content: str, message: str) -> None:
    path = write(tmp_path, "waivers.yaml", content)
    with pytest.raises(InputError) as caught:
        load_waivers(str(path))
    assert str(caught.value).replace(str(tmp_path) + "/", "").startswith(message)


def test_a_missing_waiver_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="waiver file not found"):
        load_waivers(str(tmp_path / "nope.yaml"))


# Through the real CLI and the real opa: the Rego decides which waiver applies.


@pytest.mark.opa
def test_a_waived_finding_stays_visible_and_no_longer_denies(tmp_path: Path, opa_binary: str) -> None:
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    done = run_cli("check", "--format", "json", "--today", "2026-11-28", "--waivers", _waivers(tmp_path), str(flows))
    report = report_json(done.stdout)
    (flow,) = report["flows"]
    waived = {f["rule"]: f.get("waived", {}).get("approver") for f in flow["findings"]}
    assert waived["integral_not_proportional"] == "FG"
    assert waived["special_category_data"] is None
    # special_category_data is not waived: the flow stays denied.
    assert (flow["verdict"], done.returncode) == ("deny", 1)
    assert [w["status"] for w in report["waivers"]] == ["applied"]
    assert report["summary"]["waived"] == 1


@pytest.mark.opa
def test_waiving_every_error_lets_the_flow_pass(tmp_path: Path, opa_binary: str) -> None:
    second = (
        WAIVER.format(expires="2026-12-31")
        .split("waivers:\n")[1]
        .replace("integral_not_proportional", "special_category_data")
    )
    waivers = _waivers(tmp_path, extra=second)
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL.replace("vv_7_1e]\n", "vv_7_1e]\n    retention: P4W\n"))
    done = run_cli("check", "--format", "json", "--today", "2026-11-28", "--waivers", waivers, str(flows))
    assert done.returncode == 0, done.stdout
    assert report_json(done.stdout)["flows"][0]["verdict"] == "allow"
    # A waived finding still fails the gate under --fail-on warning? No: waived findings never count.
    again = run_cli("check", "--fail-on", "warning", "--today", "2026-11-28", "--waivers", waivers, str(flows))
    assert again.returncode == 0, again.stdout
    assert "waived error integral_not_proportional" in again.stdout


@pytest.mark.opa
def test_an_expired_waiver_no_longer_applies_and_is_reported(tmp_path: Path, opa_binary: str) -> None:
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    waivers = _waivers(tmp_path, "2026-11-27")
    done = run_cli("check", "--format", "json", "--today", "2026-11-28", "--waivers", waivers, str(flows))
    report = report_json(done.stdout)
    assert done.returncode == 1
    assert all("waived" not in f for f in report["flows"][0]["findings"])
    (waiver,) = report["waivers"]
    assert waiver["status"] == "expired"
    assert "expired on 2026-11-27" in waiver["message"]
    # The last day still counts.
    same_day = run_cli("check", "--format", "json", "--today", "2026-11-27", "--waivers", waivers, str(flows))
    assert [w["status"] for w in report_json(same_day.stdout)["waivers"]] == ["applied"]


@pytest.mark.opa
def test_an_unmatched_waiver_is_a_warning(tmp_path: Path, opa_binary: str) -> None:
    flows = write(tmp_path, "a.flow.yaml", LAWFUL)
    waivers = _waivers(tmp_path)
    done = run_cli("check", "--today", "2026-11-28", "--waivers", waivers, str(flows))
    assert done.returncode == 0
    assert "UNMATCHED" in done.stdout
    assert "matches no finding" in done.stdout
    assert "1 warning" in done.stdout
    strict = run_cli("check", "--fail-on", "warning", "--today", "2026-11-28", "--waivers", waivers, str(flows))
    assert strict.returncode == 1


def test_a_malformed_waiver_file_exits_2_before_anything_is_checked(tmp_path: Path) -> None:
    flows = write(tmp_path, "a.flow.yaml", LAWFUL)
    waivers = write(tmp_path, "w.yaml", "version: 2\nwaivers: []\n")
    done = run_cli("check", "--waivers", str(waivers), str(flows))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"ketencheck: error: {waivers}:1: version: must be the integer 1")
    assert "Traceback" not in done.stderr


def test_the_example_waiver_file_is_valid() -> None:
    (waiver,) = load_waivers("examples/waivers/gemeente.waivers.yaml")
    assert waiver.rule == "aggregation_purpose_separation"
