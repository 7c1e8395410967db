"""Input the gate once left partly unread or unbounded (issue 12, items 3, 4, 5, 11, 13), through the real CLI.

Each test fails on the code before the fix; docs/security.md lists the attack next to the test.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

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


def _as_unprivileged(args: list[str]) -> list[str] | None:
    # root reads a directory whatever its mode; setpriv drops to nobody so the mode counts, as for a CI user.
    # None: nobody cannot run this checkout (it lies under a directory private to root, as `mktemp -d` makes).
    if os.geteuid() != 0:
        return args
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("running as root without setpriv: cannot make a directory unreadable")
    dropped = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run([*dropped, str(KETENCHECK), "--version"], capture_output=True, timeout=60, check=False)
    return [*dropped, *args] if probe.returncode == 0 else None


def _check_as_root_with_the_directory_refused(flows: Path, locked: Path) -> subprocess.CompletedProcess[str]:
    # The listing fails as the kernel fails it for a user without read permission (EACCES), in this process.
    from unittest import mock

    from checker.cli import main

    scandir = os.scandir

    def refusing(path: Any = ".") -> Any:
        if isinstance(path, str | os.PathLike) and Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    out = io.StringIO()
    with mock.patch("os.scandir", refusing), contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exited:
        main.main(["check", "--format", "json", str(flows)], prog_name="ketencheck")
    return subprocess.CompletedProcess([], int(exited.value.code or 0), out.getvalue(), "")


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
        command = _as_unprivileged([str(KETENCHECK), "check", "--format", "json", str(base / "flows")])
        if command is None:
            done = _check_as_root_with_the_directory_refused(base / "flows", base / "flows" / "locked")
        else:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=120, check=False, cwd=base
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


# Item 4: bounded JSON, capped errors, bounded strings and lists.


def test_json_has_the_node_limit_of_yaml(tmp_path: Path) -> None:
    # Before: parsed whole (24 million items grew to 12 GB); now refused before parsing, as YAML is.
    big = write(tmp_path, "big.flow.json", '{"version": 1, "flows": [' + ",".join(["1"] * 3000) + "]}")
    code, report, _ = _json_check("--max-yaml-nodes", "1000", str(big), str(write(tmp_path, "ok.flow.yaml", LAWFUL)))
    assert code == 2
    assert _messages(report) == [(str(big), "more than 1,000 JSON values and keys; not parsed (--max-yaml-nodes)")]
    assert report["summary"]["allowed"] == 1  # type: ignore[index]


def test_schema_errors_are_capped_per_file_with_a_count(tmp_path: Path) -> None:
    # Before: one message per bad item (1.9 million lines for one file).
    flow = '{"id": "f", "from": "IND", "to": "COA", "document": "d", "form": "extract", "purpose": "p", ' + (
        '"legal_basis": ["x"], "fields": [' + ",".join(str(n) for n in range(300)) + "]}"
    )
    bad = write(tmp_path, "bad.flow.json", '{"version": 1, "flows": [' + flow + "]}")
    code, report, _ = _json_check(str(bad))
    assert code == 2
    messages = [m for _, m in _messages(report)]
    assert len(messages) == 101
    assert "200 more schema errors not listed; no flow of this file was checked" in messages


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("id", "a" * 129, "flows[0].id: must be lowercase letters, digits and hyphens"),
        ("description", "x" * 2001, "flows[0].description: must be visible text of at most 2000 characters"),
        ("purpose", "p" * 129, "flows[0].purpose: must be an id: visible text of at most 128 characters"),
        ("legal_basis", [f"b{n}" for n in range(51)], "flows[0].legal_basis: must be a non-empty list of at most 50"),
        ("fields", [f"f{n}" for n in range(501)], "flows[0].fields: must be a non-empty list of at most 500"),
    ],
)
def test_strings_and_lists_are_bounded(tmp_path: Path, key: str, value: object, message: str) -> None:
    import json

    flow = {"id": "f", "from": "IND", "to": "COA", "document": "d", "form": "extract", "fields": ["v_nummer"]}
    flow |= {"purpose": "p", "legal_basis": ["x"], key: value}
    path = write(tmp_path, "f.flow.json", json.dumps({"version": 1, "flows": [flow]}))
    code, report, _ = _json_check(str(path))
    assert code == 2
    assert any(m.startswith(message) for _, m in _messages(report)), _messages(report)


# Item 5: JSON lines found in one pass; the whole run under --timeout.


def test_json_lines_are_found_in_linear_time_also_for_escaped_ids(tmp_path: Path) -> None:
    import json
    import time

    body = LAWFUL.split("flows:\n")[0]
    assert body == "version: 1\n"
    flows = [
        {"id": f"flow-{n}", "from": "IND", "to": "COA", "document": "beschikking_afwijzend", "form": "extract",
         "fields": ["v_nummer"], "purpose": "einde_opvang", "legal_basis": ["avg_6_1_c", "vw_107_4", "vv_7_1e"]}
        for n in range(20_000)
    ]  # fmt: skip
    # ensure_ascii and a \u escape in every id: the old lookup searched the whole text once per flow.
    text = json.dumps({"version": 1, "flows": flows}, indent=1).replace('"flow-', '"\\u0066low-')
    path = write(tmp_path, "many.flow.json", text)
    started = time.monotonic()
    code, report, _ = _json_check(str(path))
    assert code == 0, report["errors"]
    assert time.monotonic() - started < 30  # was 104 s for 20,000 flows
    expected = [n for n, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith('"id"')]
    assert [f["line"] for f in report["flows"]] == expected  # type: ignore[attr-defined]


def test_the_timeout_bounds_loading_too(tmp_path: Path) -> None:
    # Before: --timeout bounded only opa; reading these 100,000 YAML flows takes seconds, far past 0.2 s + grace,
    # so the deadline fires while the loader is still at work, before any engine is started.
    flow = "  - id: flow-{n}\n    from: IND\n    to: COA\n    document: d\n    form: integral\n    purpose: p\n"
    text = "version: 1\nflows:\n" + "".join(flow.format(n=n) + "    legal_basis: [b]\n" for n in range(100_000))
    path = write(tmp_path, "many.flow.yaml", text)
    done = run_cli("check", "--opa", "/nonexistent/opa", "--timeout", "0.2", str(path))
    assert done.returncode == 3, done.stderr
    assert done.stderr == "ketencheck: error: the run took longer than --timeout 0.2 s; nothing was checked\n"


# Item 11: ASCII digits, visible text.


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("    retention: P٩٩٩٩Y\n", "flows[0].retention: must be an ISO 8601 duration"),
        ('    dpia: "\\u200b"\n', "flows[0].dpia: must be the reference of a DPIA: visible text"),
        ('    dpia: "  "\n', "flows[0].dpia: must be the reference of a DPIA: visible text"),
        ('    description: "\\u2060\\u200b"\n', "flows[0].description: must be visible text"),
        ('    channel: "\\u200b"\n', "flows[0].channel: must be an id: visible text"),
    ],
)
def test_non_ascii_digits_and_invisible_text_are_not_values(tmp_path: Path, line: str, message: str) -> None:
    # Before: P٩٩٩٩Y passed the schema (Unicode \d) and dpia: "\u200b" silenced dpia_required, exit 0 or 1.
    code, report, _ = _json_check(
        str(write(tmp_path, "f.flow.yaml", LAWFUL.replace("    retention: P4W\n", "") + line))
    )
    assert code == 2
    assert [m for _, m in _messages(report)][0].startswith(message)


# Item 13: exit 2, not 3.


def test_a_lone_surrogate_in_json_is_an_input_error(tmp_path: Path) -> None:
    # A pair (an emoji) and an escaped backslash before "ud800" are text; the lone half on line 2 is not.
    text = '{"version": 1, "flows": [{"description": "\\ud83d\\ude00 \\\\ud800",\n'
    text += ' "id": "a", "from": "IND\\ud800", "to": "COA", "document": "d",\n'
    text += ' "form": "integral", "purpose": "p", "legal_basis": ["b"]}]}'
    path = write(tmp_path, "s.flow.json", text)
    code, report, _ = _json_check(str(path))
    assert code == 2
    assert report["errors"] == [
        {"file": str(path), "line": 2,
         "message": "invalid JSON: a \\uD800-\\uDFFF escape that is half a surrogate pair is not text"}
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", ["json", "sarif", "text"])
def test_a_file_name_that_is_not_utf8_is_an_input_error(tmp_path: Path, fmt: str) -> None:
    directory = os.fsencode(tmp_path / "flows")
    os.mkdir(directory)
    with open(os.path.join(directory, b"caf\xe9.flow.yaml"), "w", encoding="utf-8") as fh:
        fh.write(LAWFUL)
    done = subprocess.run(
        [os.fsencode(KETENCHECK), b"check", b"--format", fmt.encode(), directory],
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert b"Traceback" not in done.stderr
    assert b"xe9.flow.yaml" in done.stdout  # escaped as the format escapes a backslash
    if fmt != "sarif":
        assert b"file name is not UTF-8 text; not read (rename it)" in done.stdout


def test_audit_with_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    directory = os.fsencode(tmp_path / "flows")
    os.mkdir(directory)
    with open(os.path.join(directory, b"caf\xe9.flow.yaml"), "w", encoding="utf-8") as fh:
        fh.write(LAWFUL)
    write(tmp_path, "flows/ok.flow.yaml", LAWFUL.replace("ind-coa-einde-opvang", "other"))
    done = subprocess.run(
        [os.fsencode(KETENCHECK), b"audit", b"--out", os.fsencode(tmp_path / "out"), directory],
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert b"Traceback" not in done.stderr
    assert (tmp_path / "out" / "report.html").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--timeout", "nan"), "Invalid value for '--timeout': 'nan' is not a number of seconds from 0.1 on"),
        (("--timeout", "inf"), "Invalid value for '--timeout': 'inf' is not a number of seconds from 0.1 on"),
        (
            ("--engine", "server", "--opa-url", "http://[::1"),
            "Invalid value for '--opa-url': not a URL (Invalid IPv6 URL)",
        ),
    ],
)
def test_bad_options_are_usage_errors(args: tuple[str, ...], message: str) -> None:
    done = run_cli("check", *args, "examples/seed")
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
