"""Input the gate once left partly unread or unbounded (issue 12, items 3, 4, 5, 11, 13), through the real CLI.

Each test fails on the code before the fix; docs/security.md lists the attack next to the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import INTEGRAL, KETENCHECK, LAWFUL, report_json, run_cli, write

pytestmark = pytest.mark.opa


def _json_check(*args: str, cwd: Path | None = None) -> tuple[int, dict[str, object], str]:
    done = run_cli("check", "--format", "json", *args, **({"cwd": cwd} if cwd else {}))
    assert "Traceback" not in done.stderr + done.stdout
    return done.returncode, report_json(done.stdout), done.stderr


def _messages(report: dict[str, object]) -> list[tuple[str, str]]:
    errors = report["errors"]
    assert isinstance(errors, list)
    return [(str(e["file"]), str(e["message"])) for e in errors]


# Item 3: every path under a named directory is read or named.


def test_a_directory_link_out_of_the_tree_is_refused_not_skipped(tmp_path: Path) -> None:
    # Before: 1 flow allowed, exit 0, while the linked directory held an integral flow (DENY when named).
    write(tmp_path, "flows/lawful.flow.yaml", LAWFUL)
    write(tmp_path, "elsewhere/seed.flow.yaml", INTEGRAL)
    os.symlink(tmp_path / "elsewhere", tmp_path / "flows" / "shared")
    code, report, _ = _json_check(str(tmp_path / "flows"))
    assert code == 2
    assert _messages(report) == [
        (str(tmp_path / "flows" / "shared"), f"symbolic link to a directory out of {tmp_path / 'flows'}; not read "
         "(name it to check it)")
    ]  # fmt: skip
    assert report["summary"]["flows"] == 1  # type: ignore[index]


def test_a_directory_link_within_the_tree_is_read_once_under_its_own_name(tmp_path: Path) -> None:
    write(tmp_path, "flows/real/seed.flow.yaml", INTEGRAL)
    os.symlink(tmp_path / "flows" / "real", tmp_path / "flows" / "alias")
    code, report, _ = _json_check(str(tmp_path / "flows"))
    assert code == 1
    assert report["errors"] == []
    assert [f["file"] for f in report["flows"]] == [str(tmp_path / "flows" / "real" / "seed.flow.yaml")]  # type: ignore[attr-defined]


def _as_unprivileged(args: list[str]) -> list[str]:
    # root reads a directory whatever its mode; setpriv drops to nobody so the mode counts, as for a CI user.
    if os.geteuid() != 0:
        return args
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("running as root without setpriv: cannot make a directory unreadable")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *args]


def test_an_unreadable_directory_is_an_input_error() -> None:
    # Before: os.walk dropped the error, the lawful flow was allowed and the run exited 0. Not under tmp_path:
    # pytest's base directory is private to its user, and the run may be as nobody.
    base = Path(tempfile.mkdtemp(prefix="ketencheck-unreadable-"))
    try:
        write(base, "flows/lawful.flow.yaml", LAWFUL)
        write(base, "flows/locked/seed.flow.yaml", INTEGRAL)
        base.chmod(0o755)
        (base / "flows").chmod(0o755)
        (base / "flows" / "lawful.flow.yaml").chmod(0o644)
        (base / "flows" / "locked").chmod(0)
        done = subprocess.run(
            _as_unprivileged([str(KETENCHECK), "check", "--format", "json", str(base / "flows")]),
            capture_output=True, text=True, timeout=120, check=False, cwd=base,
        )  # fmt: skip
        assert done.returncode == 2, done.stdout + done.stderr
        report = report_json(done.stdout)
        assert _messages(report) == [(str(base / "flows" / "locked"), "directory not read: Permission denied")]
    finally:
        (base / "flows" / "locked").chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_upper_case_flow_files_are_found(tmp_path: Path) -> None:
    # Before: SEED.FLOW.YAML was not matched; the lawful flow alone was allowed, exit 0.
    write(tmp_path, "flows/lawful.flow.yaml", LAWFUL)
    write(tmp_path, "flows/SEED.FLOW.YAML", INTEGRAL)
    write(tmp_path, "flows/Other.Flow.Json", '{"version": 1, "flows": []}')
    code, report, _ = _json_check(str(tmp_path / "flows"))
    assert code == 2  # the JSON one is read as JSON: an empty flow list is a schema error
    assert report["summary"]["denied"] == 1  # type: ignore[index]
    assert [e["file"] for e in report["errors"]] == [str(tmp_path / "flows" / "Other.Flow.Json")]  # type: ignore[attr-defined]
