"""Hostile and broken input through the real CLI: bounded time, one clear message, the right exit code,
never a traceback, and the other files still checked."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.conftest import LAWFUL, report_json, run_cli, write

pytestmark = pytest.mark.opa


def _check(*paths: Path | str, extra: tuple[str, ...] = ()) -> tuple[int, dict[str, object], str, float]:
    started = time.monotonic()
    done = run_cli("check", "--format", "json", *extra, *map(str, paths))
    elapsed = time.monotonic() - started
    assert "Traceback" not in done.stderr + done.stdout
    return done.returncode, report_json(done.stdout), done.stderr, elapsed


def _lawful(tmp_path: Path, name: str = "ok.flow.yaml") -> Path:
    return write(tmp_path, name, LAWFUL)


def _only_error(report: dict[str, object]) -> dict[str, object]:
    errors = report["errors"]
    assert isinstance(errors, list) and len(errors) == 1, errors
    error = errors[0]
    assert isinstance(error, dict)
    return error


@pytest.mark.parametrize(
    ("name", "content", "line", "message"),
    [
        (
            "laughs.flow.yaml",
            "\n".join(
                ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
                + [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
            )
            + "\n",
            1,
            "YAML nodes (aliases expanded); refusing to expand further (--max-yaml-nodes)",
        ),
        ("deep.flow.yaml", "version: 1\nflows: " + "[" * 100_000 + "]" * 100_000 + "\n", 2, "nested deeper than 64"),
        (
            "deepblock.flow.yaml",
            "version: 1\nflows:\n" + "".join("  " * i + "- \n" for i in range(1, 200)),
            66,
            "nested deeper",
        ),
        ("binary.flow.yaml", bytes(range(256)) * 10, None, "binary file"),
        ("latin1.flow.yaml", "version: 1\n# café\n".encode("latin-1"), 2, "not UTF-8 text"),
        (
            "dup.flow.yaml",
            LAWFUL.replace("    form: extract\n", "    form: extract\n    form: integral\n"),
            8,
            "duplicate key 'form'",
        ),
        (
            "pickle.flow.yaml",
            "version: 1\nflows: !!python/object/apply:os.system ['echo pwned']\n",
            2,
            "unsupported YAML tag",
        ),
        ("pyname.flow.yaml", "version: 1\nflows:\n  - !!python/name:os.system\n", 3, "unsupported YAML tag"),
        ("empty.flow.yaml", "", None, "file is empty"),
        ("blank.flow.yaml", "\n\n   \n", None, "file is empty"),
        ("noflows.flow.yaml", "version: 1\nflows: []\n", 2, "flows: must be a non-empty list of flows"),
        (
            "baddate.flow.yaml",
            LAWFUL.replace("retention: P4W", "retention: 2026-02-30"),
            11,
            "retention: must be an ISO 8601",
        ),
    ],
)
def test_broken_input_is_one_clear_message_and_the_rest_is_checked(
    tmp_path: Path, name: str, content: str | bytes, line: int | None, message: str
) -> None:
    bad = write(tmp_path, name, content)
    code, report, _, elapsed = _check(bad, _lawful(tmp_path))
    assert code == 2
    error = _only_error(report)
    assert error["file"] == str(bad)
    assert error["line"] == line
    assert message in str(error["message"])
    assert report["summary"] == {"flows": 1, "allowed": 1, "denied": 0, "errors": 1, "waived": 0, "baselined": 0}
    assert elapsed < 20


def test_a_bom_and_crlf_are_valid_input(tmp_path: Path) -> None:
    path = write(tmp_path, "win.flow.yaml", b"\xef\xbb\xbf" + LAWFUL.replace("\n", "\r\n").encode())
    code, report, _, _ = _check(path)
    assert code == 0
    assert report["errors"] == []


def test_a_100_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.flow.yaml"
    with big.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper, nothing to write
    code, report, _, elapsed = _check(big, _lawful(tmp_path))
    assert code == 2
    assert "104,857,600 bytes, over the limit of 52,428,800 (--max-file-size)" in str(_only_error(report)["message"])
    assert elapsed < 10


def test_the_limits_can_be_changed(tmp_path: Path) -> None:
    path = _lawful(tmp_path)
    code, report, _, _ = _check(path, extra=("--max-file-size", "100B"))
    assert code == 2
    assert "over the limit of 100" in str(_only_error(report)["message"])
    code, report, _, _ = _check(path, extra=("--max-depth", "2"))
    assert code == 2
    assert "nested deeper than 2 levels" in str(_only_error(report)["message"])
    code, report, _, _ = _check(path, extra=("--max-yaml-nodes", "10"))
    assert code == 2
    assert "more than 10 YAML nodes" in str(_only_error(report)["message"])
    done = run_cli("check", "--max-file-size", "lots", str(path))
    assert done.returncode == 2
    assert "is not a size such as 50MB" in done.stderr


def test_a_symlink_loop_in_a_directory_does_not_hang(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    _lawful(tree / "sub")
    os.symlink(tree, tree / "sub" / "loop")  # a directory cycle
    os.symlink("self.flow.yaml", tree / "self.flow.yaml")  # a file that points at itself
    code, report, _, elapsed = _check(tree)
    assert elapsed < 20
    assert code == 2
    error = _only_error(report)
    assert str(error["file"]).endswith("self.flow.yaml")
    assert "cannot read" in str(error["message"])
    assert report["summary"]["flows"] == 1  # type: ignore[index]


def test_an_unreadable_file_is_an_input_error(tmp_path: Path) -> None:
    path = _lawful(tmp_path, "secret.flow.yaml")
    if os.geteuid() == 0:
        # root reads whatever the mode says; a file that vanishes behind a dangling link is unreadable to anyone.
        path.unlink()
        os.symlink(tmp_path / "gone", path)
    else:
        path.chmod(0)
    code, report, _, _ = _check(tmp_path)
    assert code == 2
    assert "cannot read" in str(_only_error(report)["message"])


def test_a_flow_id_repeated_in_two_files(tmp_path: Path) -> None:
    first, second = _lawful(tmp_path, "a.flow.yaml"), _lawful(tmp_path, "b.flow.yaml")
    code, report, _, _ = _check(first, second)
    assert code == 2
    error = _only_error(report)
    assert error["file"] == str(second)
    assert error["line"] == 3
    assert f"duplicate flow id 'ind-coa-einde-opvang' (first defined at {first}:3)" in str(error["message"])
    assert report["summary"]["flows"] == 1  # type: ignore[index]


def test_ten_thousand_files_in_one_directory(tmp_path: Path) -> None:
    flows = tmp_path / "many"
    flows.mkdir()
    body = LAWFUL.split("flows:\n")[1]
    for n in range(10_000):
        (flows / f"f{n:05d}.flow.yaml").write_text(
            "version: 1\nflows:\n" + body.replace("ind-coa-einde-opvang", f"flow-{n}")
        )
    code, report, _, elapsed = _check(flows)
    assert code == 0, report["errors"]
    assert report["summary"] == {
        "flows": 10_000,
        "allowed": 10_000,
        "denied": 0,
        "errors": 0,
        "waived": 0,
        "baselined": 0,
    }
    assert elapsed < 60


def test_a_link_out_of_the_scanned_tree_is_not_read(tmp_path: Path) -> None:
    secret = write(tmp_path, "outside/secret.txt", "version: 1\nflows: [{password: hunter2}]\n")
    tree = tmp_path / "tree"
    _lawful(tree)
    os.symlink(secret, tree / "leak.flow.yaml")
    code, report, _, _ = _check(tree)
    assert code == 2
    error = _only_error(report)
    assert "symbolic link out of" in str(error["message"])
    assert "hunter2" not in json_text(report)


def json_text(report: dict[str, object]) -> str:
    import json

    return json.dumps(report)


def test_deep_json_is_refused_at_the_same_depth_as_yaml(tmp_path: Path) -> None:
    deep = write(tmp_path, "deep.flow.json", '{"version": 1, "flows": ' + "[" * 500 + "]" * 500 + "}")
    code, report, _, _ = _check(deep, _lawful(tmp_path))
    assert code == 2
    assert "nested deeper than 64 levels" in str(_only_error(report)["message"])
