"""Waiver files: valid, expired, unmatched and malformed, through the loader and the real CLI."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
import yaml

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

TODAY = "2026-11-28"


def _add(tmp_path: Path, flows: Path, rule: str, *extra: str, flow: str = "ind-coa-integraal") -> str:
    """A version 2 waiver written by `ketencheck waiver add`, as a user writes one."""
    waivers = tmp_path / "waivers.yaml"
    done = run_cli(
        "waiver", "add", flow, rule, str(flows),
        "--justification", "Transition until the extract interface is live on 1 March",
        "--approver", "FG", "--dpia", "DPIA-2026-004", "--expires", "2026-12-31",
        "--waivers", str(waivers), "--today", TODAY, *extra,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return str(waivers)


@pytest.mark.opa
def test_a_waived_finding_stays_visible_and_no_longer_denies(tmp_path: Path, opa_binary: str) -> None:
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    waivers = _add(tmp_path, flows, "integral_not_proportional")
    done = run_cli("check", "--format", "json", "--today", TODAY, "--waivers", waivers, str(flows))
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
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL.replace("vv_7_1e]\n", "vv_7_1e]\n    retention: P4W\n"))
    _add(tmp_path, flows, "integral_not_proportional")
    waivers = _add(tmp_path, flows, "special_category_data")
    done = run_cli("check", "--format", "json", "--today", TODAY, "--waivers", waivers, str(flows))
    assert done.returncode == 0, done.stdout
    assert report_json(done.stdout)["flows"][0]["verdict"] == "allow"
    # Waived findings never count, also under --fail-on warning.
    again = run_cli("check", "--fail-on", "warning", "--today", TODAY, "--waivers", waivers, str(flows))
    assert again.returncode == 0, again.stdout
    assert "waived error integral_not_proportional" in again.stdout


@pytest.mark.opa
def test_an_expired_waiver_no_longer_applies_and_is_reported(tmp_path: Path, opa_binary: str) -> None:
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    waivers = _add(tmp_path, flows, "integral_not_proportional")
    done = run_cli("check", "--format", "json", "--today", "2027-01-01", "--waivers", waivers, str(flows))
    report = report_json(done.stdout)
    assert done.returncode == 1
    assert all("waived" not in f for f in report["flows"][0]["findings"])
    (waiver,) = report["waivers"]
    assert waiver["status"] == "expired"
    assert "expired on 2026-12-31" in waiver["message"]
    # The last day still counts.
    same_day = run_cli("check", "--format", "json", "--today", "2026-12-31", "--waivers", waivers, str(flows))
    assert [w["status"] for w in report_json(same_day.stdout)["waivers"]] == ["applied"]


@pytest.mark.opa
def test_an_unmatched_waiver_is_a_warning(tmp_path: Path, opa_binary: str) -> None:
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    waivers = _add(tmp_path, flows, "integral_not_proportional")
    flows.write_text(LAWFUL.replace("ind-coa-einde-opvang", "ind-coa-integraal"), encoding="utf-8")
    done = run_cli("check", "--today", TODAY, "--waivers", waivers, str(flows))
    assert done.returncode == 0
    assert "UNMATCHED" in done.stdout
    assert "matches no finding" in done.stdout
    assert "1 warning" in done.stdout
    strict = run_cli("check", "--fail-on", "warning", "--today", TODAY, "--waivers", waivers, str(flows))
    assert strict.returncode == 1


# Issue 12, item 2: a waiver is a blank cheque for its (flow, rule). The attack: an FG accepts an unknown new
# field on ind-coa-nieuw-veld; the flow is then turned into a sale of the whole asylum file to a broker.

NIEUW_VELD = """\
version: 1
flows:
  - id: ind-coa-nieuw-veld
    from: IND
    to: COA
    document: beschikking_afwijzend
    form: extract
    fields: [v_nummer, rechtmatig_verblijf, taalvoorkeur]
    purpose: einde_opvang
    legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e]
    retention: P4W
"""

SOLD = (
    NIEUW_VELD.replace("to: COA", "to: PRIVATE_BROKER")
    .replace("document: beschikking_afwijzend", "document: volledig_asieldossier")
    .replace("purpose: einde_opvang", "purpose: verkoop")
)

V1_UNKNOWN = """\
version: 1
waivers:
  - flow: ind-coa-nieuw-veld
    rule: unknown_reference
    justification: The new field taalvoorkeur is added to the catalogue in the next release
    approver: FG
    dpia: DPIA-IND-2026-012
    expires: 2027-06-30
"""


@pytest.mark.opa
@pytest.mark.parametrize("content", [NIEUW_VELD, SOLD], ids=["as-approved", "sold-to-a-broker"])
def test_the_attack_a_waiver_of_unknown_reference_never_opens_the_gate(
    tmp_path: Path, opa_binary: str, content: str
) -> None:
    flows = write(tmp_path, "nieuw.flow.yaml", content)
    waivers = write(tmp_path, "w.yaml", V1_UNKNOWN)
    done = run_cli("check", "--today", TODAY, "--waivers", str(waivers), str(flows))
    assert done.returncode == 1, done.stdout
    assert "DENY  ind-coa-nieuw-veld" in done.stdout
    assert "waived" not in done.stdout.split("waivers\n")[0]
    assert "REFUSED" in done.stdout
    assert "unknown_reference cannot be waived" in done.stdout


@pytest.mark.opa
def test_a_bound_waiver_of_unknown_reference_is_refused_too(tmp_path: Path, opa_binary: str) -> None:
    flows = write(tmp_path, "nieuw.flow.yaml", NIEUW_VELD)
    found = report_json(run_cli("check", "--format", "json", str(flows)).stdout)["flows"][0]["findings"]
    (unknown,) = [f for f in found if f["rule"] == "unknown_reference"]
    assert unknown["waivable"] is False
    entry = V1_UNKNOWN.replace("version: 1", "version: 2").replace(
        "    justification:",
        f"    subject: {json.dumps(unknown['subject'])}\n    digest: {unknown['digest']}\n    justification:",
    )
    waivers = write(tmp_path, "w.yaml", entry)
    done = run_cli("check", "--format", "json", "--today", TODAY, "--waivers", str(waivers), str(flows))
    report = report_json(done.stdout)
    assert (done.returncode, report["flows"][0]["verdict"]) == (1, "deny")
    assert [w["status"] for w in report["waivers"]] == ["refused"]


@pytest.mark.opa
def test_waiver_add_refuses_what_cannot_be_waived_and_what_is_not_there(tmp_path: Path, opa_binary: str) -> None:
    flows = write(tmp_path, "nieuw.flow.yaml", NIEUW_VELD)
    waivers = tmp_path / "w.yaml"
    common = [
        "--justification",
        "x" * 30,
        "--approver",
        "FG",
        "--dpia",
        "D-1",
        "--expires",
        "2027-06-30",
        "--today",
        TODAY,
    ]
    refused = run_cli(
        "waiver", "add", "ind-coa-nieuw-veld", "unknown_reference", str(flows), *common, "--waivers", str(waivers)
    )
    assert refused.returncode == 2
    assert "unknown_reference cannot be waived" in refused.stderr
    absent = run_cli("waiver", "add", "ind-coa-nieuw-veld", "self_flow", str(flows), *common, "--waivers", str(waivers))
    assert absent.returncode == 2
    assert "has no finding of self_flow: nothing to waive; its findings: unknown_reference" in absent.stderr
    nowhere = run_cli("waiver", "add", "elsewhere", "self_flow", str(flows), *common, "--waivers", str(waivers))
    assert (nowhere.returncode, "no flow with id 'elsewhere'" in nowhere.stderr) == (2, True)
    assert not waivers.exists()
    assert "Traceback" not in refused.stderr + absent.stderr + nowhere.stderr


@pytest.mark.opa
def test_a_waiver_whose_flow_changed_is_stale_and_no_longer_applies(tmp_path: Path, opa_binary: str) -> None:
    flows = write(tmp_path, "a.flow.yaml", LAWFUL.replace("rechtmatig_verblijf]", "rechtmatig_verblijf, naam]"))
    waivers = _add(tmp_path, flows, "field_not_needed", flow="ind-coa-einde-opvang")
    assert run_cli("check", "--today", TODAY, "--waivers", waivers, str(flows)).returncode == 0
    # One more field, the same rule: not what the FG accepted.
    flows.write_text(LAWFUL.replace("rechtmatig_verblijf]", "rechtmatig_verblijf, naam, asielmotief]"), "utf-8")
    done = run_cli("check", "--format", "json", "--today", TODAY, "--waivers", waivers, str(flows))
    report = report_json(done.stdout)
    assert (done.returncode, report["flows"][0]["verdict"]) == (1, "deny")
    assert all("waived" not in f for f in report["flows"][0]["findings"])
    (waiver,) = report["waivers"]
    assert waiver["status"] == "stale"
    assert "the flow or the finding changed since it was approved" in waiver["message"]
    # A change to the judged content alone (another legal basis) makes it stale too, as a warning.
    flows.write_text(
        LAWFUL.replace("rechtmatig_verblijf]", "rechtmatig_verblijf, naam]").replace("vv_7_1e]", "vv_7_1e, avg_6_1_e]"),
        "utf-8",
    )
    again = run_cli("check", "--format", "json", "--today", TODAY, "--waivers", waivers, str(flows))
    assert [w["status"] for w in report_json(again.stdout)["waivers"]] == ["stale"]
    assert again.returncode == 1


@pytest.mark.opa
def test_waiver_add_appends_and_keeps_every_byte_the_user_wrote(tmp_path: Path, opa_binary: str) -> None:
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    waivers = tmp_path / "waivers.yaml"
    _add(tmp_path, flows, "integral_not_proportional")
    # The user comments and reformats the file by hand; the next entry goes below, nothing above changes.
    mine = "# Reviewed by the FG, 2026-11-20.\n" + waivers.read_text(encoding="utf-8") + "    # keep until March\n"
    waivers.write_text(mine, encoding="utf-8")
    _add(tmp_path, flows, "special_category_data")
    after = waivers.read_text(encoding="utf-8")
    assert after.startswith(mine)
    assert [(w.rule, w.bound) for w in load_waivers(str(waivers))] == [
        ("integral_not_proportional", True),
        ("special_category_data", True),
    ]
    again = run_cli(
        "waiver", "add", "ind-coa-integraal", "special_category_data", str(flows),
        "--justification", "x" * 30, "--approver", "FG", "--dpia", "D", "--expires", "2026-12-31",
        "--waivers", str(waivers), "--today", TODAY,
    )  # fmt: skip
    assert again.returncode == 2
    assert "this finding is already waived" in again.stderr
    assert waivers.read_text(encoding="utf-8") == after


@pytest.mark.opa
def test_waiver_add_does_not_mix_formats_or_break_a_file_it_cannot_extend(tmp_path: Path, opa_binary: str) -> None:
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    common = [
        "--justification",
        "x" * 30,
        "--approver",
        "FG",
        "--dpia",
        "D",
        "--expires",
        "2026-12-31",
        "--today",
        TODAY,
    ]
    old = write(tmp_path, "old.yaml", WAIVER.format(expires="2026-12-31"))
    v1 = run_cli(
        "waiver", "add", "ind-coa-integraal", "special_category_data", str(flows), *common, "--waivers", str(old)
    )
    assert v1.returncode == 2
    assert "a version 1 waiver file" in v1.stderr
    assert old.read_text(encoding="utf-8") == WAIVER.format(expires="2026-12-31")
    _add(tmp_path, flows, "integral_not_proportional")
    flowed = (tmp_path / "waivers.yaml").read_text(encoding="utf-8")
    inline = tmp_path / "inline.yaml"
    document = yaml.safe_load(flowed)
    inline.write_text(f"waivers: {json.dumps(document['waivers'])}\nversion: 2\n", encoding="utf-8")
    before = inline.read_text(encoding="utf-8")
    done = run_cli(
        "waiver", "add", "ind-coa-integraal", "special_category_data", str(flows), *common, "--waivers", str(inline)
    )
    assert done.returncode == 2
    assert "add the entry by hand" in done.stderr
    assert inline.read_text(encoding="utf-8") == before


@pytest.mark.opa
def test_a_version_1_waiver_still_applies_with_a_warning_how_to_upgrade(tmp_path: Path, opa_binary: str) -> None:
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    waivers = _waivers(tmp_path)
    done = run_cli("check", "--format", "json", "--today", TODAY, "--waivers", waivers, str(flows))
    report = report_json(done.stdout)
    (waiver,) = report["waivers"]
    assert waiver["status"] == "unbound"
    assert "is not bound to the flow's content" in waiver["message"]
    assert "ketencheck waiver add ind-coa-integraal integral_not_proportional" in waiver["message"]
    assert any(f.get("waived") for f in report["flows"][0]["findings"])
    strict = run_cli("check", "--fail-on", "warning", "--today", TODAY, "--waivers", waivers, str(flows))
    assert strict.returncode == 1


def test_a_malformed_waiver_file_exits_2_before_anything_is_checked(tmp_path: Path) -> None:
    flows = write(tmp_path, "a.flow.yaml", LAWFUL)
    waivers = write(tmp_path, "w.yaml", "version: 2\nwaivers: []\n")
    done = run_cli("check", "--waivers", str(waivers), str(flows))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"ketencheck: error: {waivers}:2: waivers: must be a non-empty list of waivers")
    assert "Traceback" not in done.stderr


def test_the_example_waiver_file_is_valid() -> None:
    (waiver,) = load_waivers("examples/waivers/gemeente.waivers.yaml")
    assert waiver.rule == "aggregation_purpose_separation"
    assert waiver.bound


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "version: 2\nwaivers:\n" + WAIVER.split("waivers:\n")[1].format(expires="2026-12-31"),
            "required in a version 2",
        ),
        (
            WAIVER.format(expires="2026-12-31") + "    digest: sha256:" + "0" * 64 + "\n",
            "subject and digest need version: 2",
        ),
        (
            "version: 2\nwaivers:\n"
            + WAIVER.split("waivers:\n")[1].format(expires="2026-12-31")
            + "    subject: {}\n    digest: md5:0\n",
            "must be sha256: and 64 hex digits",
        ),
        ("version: 3\nwaivers: []\n", "version: must be the integer 2 (or 1, the old format)"),
    ],
)
def test_version_2_entries_name_the_finding_and_version_1_cannot(tmp_path: Path, content: str, message: str) -> None:
    path = write(tmp_path, "waivers.yaml", content)
    with pytest.raises(InputError, match=re.escape(message)):
        load_waivers(str(path))


@pytest.mark.opa
@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("w.yaml", ["--justification", "too short"], "--justification: must say why the finding is accepted"),
        ("w.yaml", ["--approver", "  "], "--approver: must be non-empty text"),
        ("w.json", [], "waiver add writes YAML"),
        ("w.yaml", ["--expires", "2026-11-27"], "2026-11-27 has passed"),
    ],
)
def test_waiver_add_checks_the_entry_before_writing(
    tmp_path: Path, opa_binary: str, name: str, options: list[str], message: str
) -> None:
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    given = {"--justification": "x" * 30, "--approver": "FG", "--dpia": "D", "--expires": "2026-12-31"}
    given.update(zip(options[::2], options[1::2], strict=True))
    args = [x for pair in given.items() for x in pair]
    done = run_cli(
        "waiver", "add", "ind-coa-integraal", "integral_not_proportional", str(flows), *args,
        "--waivers", str(tmp_path / name), "--today", TODAY,
    )  # fmt: skip
    assert done.returncode == 2
    assert message in done.stderr
    assert not (tmp_path / name).exists()
