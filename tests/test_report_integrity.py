"""What a report says and where it goes (issue 12, items 12, 14, 15), through the real CLI and the real opa."""

from __future__ import annotations

import json
import os
import shutil
import stat
import threading
from pathlib import Path

import pytest

from checker.bundle import revision
from tests.conftest import INTEGRAL, ROOT, report_json, run_cli, write

pytestmark = pytest.mark.opa


# Item 12: an existing link is replaced, never written through.


def test_output_does_not_follow_a_link(tmp_path: Path) -> None:
    victim = write(tmp_path, "elsewhere/precious.txt", "precious\n")
    os.symlink(victim, tmp_path / "report.txt")
    done = run_cli("check", "--output", str(tmp_path / "report.txt"), str(write(tmp_path, "a.flow.yaml", INTEGRAL)))
    assert done.returncode == 1, done.stderr
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (tmp_path / "report.txt").is_symlink()
    assert "DENY  ind-coa-integraal" in (tmp_path / "report.txt").read_text(encoding="utf-8")


def test_output_to_a_pipe_is_written_to_not_replaced(tmp_path: Path) -> None:
    # Renamed over, a FIFO (or, as root, /dev/null) became a file and its reader got nothing.
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = run_cli("check", "--output", str(fifo), str(write(tmp_path, "a.flow.yaml", INTEGRAL)))
    reader.join(timeout=60)
    assert done.returncode == 1, done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert b"DENY  ind-coa-integraal" in received[0]


def test_audit_does_not_follow_links(tmp_path: Path) -> None:
    victim = write(tmp_path, "elsewhere/precious.txt", "precious\n")
    (tmp_path / "out").mkdir()
    os.symlink(victim, tmp_path / "out" / "report.html")
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    done = run_cli("audit", "--out", str(tmp_path / "out"), str(flows))
    assert done.returncode == 1, done.stderr
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (tmp_path / "out" / "report.html").is_symlink()
    os.symlink(tmp_path / "elsewhere", tmp_path / "linked-out")
    refused = run_cli("audit", "--out", str(tmp_path / "linked-out"), str(flows))
    assert refused.returncode == 2
    assert "is a symbolic link" in refused.stderr
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == ["precious.txt"]


# Item 14: the answer must carry verdicts; the revision is the one evaluated.


def test_an_answer_without_verdicts_is_an_engine_error(tmp_path: Path) -> None:
    # Before: exit 0, every flow allowed.
    write(tmp_path, "pack/ketencheck/main.rego", 'package ketencheck.main\n\nresult := {"findings": []}\n')
    done = run_cli("check", "--policies", str(tmp_path / "pack"), str(write(tmp_path, "a.flow.yaml", INTEGRAL)))
    assert done.returncode == 3, done.stdout + done.stderr
    assert "opa returned no verdicts" in done.stderr


def test_the_revision_is_that_of_what_opa_evaluated(tmp_path: Path) -> None:
    # Before: opa read every file of the directory, the revision only those under ketencheck/: a rule added beside
    # them changed the verdicts while the report showed the clean pack's revision.
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "policies", pack, ignore=shutil.ignore_patterns("*_test.rego"))
    clean = revision(pack)
    extra = (
        "package ketencheck.rules.zz_extra\n\n"
        'deny contains {"flow": f.id, "rule": "zz_extra", "severity": "error", "message": "added", '
        '"legal_refs": [], "title": "added"} if some f in input.flows\n'
    )
    write(pack, "extra.rego", extra)
    done = run_cli("check", "--format", "json", "--policies", str(pack), str(write(tmp_path, "a.flow.yaml", INTEGRAL)))
    report = report_json(done.stdout)
    assert report["engine"]["revision"] == clean  # type: ignore[index]
    assert "zz_extra" not in done.stdout


# Item 15: the pack in use is in every report header.


def test_the_pack_in_use_is_named_in_the_report(tmp_path: Path) -> None:
    pack = tmp_path / "review"
    shutil.copytree(ROOT / "policies", pack)
    flows = str(write(tmp_path, "a.flow.yaml", INTEGRAL))
    text = run_cli("check", flows, env={"KETENCHECK_POLICIES": str(pack)})
    first = text.stdout.splitlines()[0]
    assert first.startswith("policy pack: vreemdelingenketen ")
    assert f", revision {revision(pack)}, {pack} (KETENCHECK_POLICIES) (opa " in first
    report = report_json(run_cli("check", "--format", "json", flows, env={"KETENCHECK_POLICIES": str(pack)}).stdout)
    assert report["engine"]["source"] == f"{pack} (KETENCHECK_POLICIES)"  # type: ignore[index]
    bundled = report_json(run_cli("check", "--format", "json", flows).stdout)
    assert bundled["engine"]["source"] == "bundled"  # type: ignore[index]
    assert "KETENCHECK_POLICIES" in run_cli("check", "--help").stdout
    sarif = report_json(run_cli("check", "--format", "sarif", flows, env={"KETENCHECK_POLICIES": str(pack)}).stdout)
    driver = sarif["runs"][0]["tool"]["driver"]["properties"]  # type: ignore[index]
    assert driver["policyRevision"] == revision(pack)
    assert driver["policySource"] == f"{pack} (KETENCHECK_POLICIES)"


@pytest.mark.opa
def test_write_baseline_replaces_a_link_instead_of_writing_through_it(tmp_path: Path, opa_binary: str) -> None:
    # Issue 12, item 12: a committed link at the baseline path must not carry the findings elsewhere.
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep\n", encoding="utf-8")
    link = tmp_path / "baseline.json"
    link.symlink_to(target)
    done = run_cli("check", "--write-baseline", str(link), "--", str(flows))
    assert done.returncode == 0, done.stdout + done.stderr
    assert target.read_text(encoding="utf-8") == "keep\n"
    assert not link.is_symlink()
    assert json.loads(link.read_text(encoding="utf-8"))["version"] == 2


@pytest.mark.opa
def test_waiver_add_refuses_to_append_through_a_link(tmp_path: Path, opa_binary: str) -> None:
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    target = tmp_path / "elsewhere.yaml"
    target.write_text("version: 2\nwaivers: []\n", encoding="utf-8")
    link = tmp_path / "waivers.yaml"
    link.symlink_to(target)
    done = run_cli(
        "waiver", "add", "ind-coa-integraal", "integral_not_proportional", str(flows),
        "--justification", "x", "--approver", "FG", "--dpia", "DPIA-1", "--expires", "2026-12-31",
        "--waivers", str(link), "--today", "2026-11-28",
    )  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert "is a link" in done.stderr
    assert target.read_text(encoding="utf-8") == "version: 2\nwaivers: []\n"
