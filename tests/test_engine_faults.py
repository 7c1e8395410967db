"""Engine faults through the real CLI: each is exit 3 with a message that says which, never a pass."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.resources import policies_dir
from tests.conftest import ROOT, run_cli, write

pytestmark = pytest.mark.opa


def _wrapper(tmp_path: Path, body: str) -> str:
    path = write(tmp_path, "bin/opa", "#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return str(path)


@pytest.fixture(scope="module")
def many_flows(tmp_path_factory: pytest.TempPathFactory) -> str:
    # Enough flows that opa is still evaluating when it is killed.
    directory = tmp_path_factory.mktemp("many")
    subprocess.run(
        [sys.executable, "bench/generate.py", "--flows", "5000", "--files", "10", "--out", str(directory)],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    return str(directory)


def _fails(*args: str) -> str:
    done = run_cli("check", *args)
    assert done.returncode == 3, (done.returncode, done.stdout[-500:], done.stderr)
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    return done.stderr


def test_the_real_opa_killed_mid_run(tmp_path: Path, opa_binary: str, many_flows: str) -> None:
    # The shell becomes opa (exec) and a sibling kills it a moment later, while it evaluates.
    opa = _wrapper(tmp_path, f'(sleep 0.3; kill -KILL $$) &\nexec "{opa_binary}" "$@"')
    assert "opa was killed by signal 9 (SIGKILL) before it answered" in _fails("--opa", opa, many_flows)


def test_a_hanging_opa_times_out(tmp_path: Path) -> None:
    opa = _wrapper(tmp_path, "exec sleep 30")
    assert "did not finish within 1 s (--timeout)" in _fails("--opa", opa, "--timeout", "1", "examples/seed")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("cat >/dev/null; echo 'garbage, not JSON'", "opa wrote no JSON: garbage, not JSON"),
        ('cat >/dev/null; printf \'{"result": {"findings": [\'', "opa wrote no JSON"),
        ("cat >/dev/null; echo '{}'", "opa gave no result for data.ketencheck.main.result: is the policy pack loaded?"),
        # `opa eval --fail` of an undefined query: exit 1, nothing written.
        ("cat >/dev/null; exit 1", "opa gave no result for data.ketencheck.main.result: is the policy pack loaded?"),
        ("cat >/dev/null; echo 'not the pack' >&2; exit 2", "opa could not evaluate the policies: not the pack"),
    ],
)
def test_an_opa_that_answers_nonsense(tmp_path: Path, body: str, message: str) -> None:
    assert message in _fails("--opa", _wrapper(tmp_path, body), "examples/seed")


def test_a_policy_with_a_syntax_error(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(policies_dir(), pack)
    rule = pack / "ketencheck" / "rules" / "self_flow" / "self_flow.rego"
    rule.write_text(
        rule.read_text(encoding="utf-8").replace("deny contains finding if {", "deny contains finding if {{", 1)
    )
    stderr = _fails("--policies", str(pack), "examples/seed")
    assert "opa could not evaluate the policies" in stderr
    assert "self_flow.rego" in stderr


def _main_rego(pack: Path) -> Path:
    return pack / "ketencheck" / "main.rego"


def test_an_evaluation_error_in_the_real_opa_is_named_without_its_rego_traceback(tmp_path: Path) -> None:
    # A runtime error (two values for one complete rule): opa's raw format writes it to stderr, followed by a
    # "Traceback:" of Rego locations that is not part of the message.
    pack = tmp_path / "pack"
    shutil.copytree(policies_dir(), pack)
    main = _main_rego(pack)
    main.write_text(main.read_text(encoding="utf-8") + "\nclash := 1 if true\n\nclash := 2 if count(input.flows) > 0\n")
    # Into the object that carries the findings, however main.rego builds it (the result was once that object
    # itself, now a _base merged with what is asked).
    text = main.read_text(encoding="utf-8").replace('"findings": _marked,', '"clash": clash, "findings": _marked,', 1)
    assert text != main.read_text(encoding="utf-8")
    main.write_text(text)
    stderr = _fails("--policies", str(pack), "examples/seed")
    assert "opa could not evaluate the policies: 1 error occurred: " in stderr
    assert "eval_conflict_error" in stderr
    assert "main.rego" in stderr


def test_a_result_that_is_text_holding_json_is_not_a_result(tmp_path: Path) -> None:
    # --format=raw writes a string without quotes: the query is wrapped so that this stays a string.
    pack = tmp_path / "pack"
    write(pack, "ketencheck/main.rego", 'package ketencheck.main\n\nresult := "{\\"findings\\": []}"\n')
    assert "instead of a result" in _fails("--policies", str(pack), "examples/seed")


@pytest.fixture
def nearly_full_tmpdir(tmp_path: Path) -> Iterator[Path]:
    # A file system of its own for TMPDIR, with room for the staged pack (about 90 KB) but not for opa's answer.
    directory = tmp_path / "small"
    directory.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(directory)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip("needs a tmpfs mount (root)")
    try:
        space = os.statvfs(directory)
        room = 160 * 1024
        (directory / "fill").write_bytes(b"\0" * (space.f_bavail * space.f_frsize - room))
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], check=False)


def test_an_answer_cut_by_a_full_temporary_disk_says_so(
    tmp_path: Path, opa_binary: str, nearly_full_tmpdir: Path
) -> None:
    # opa does not check its writes to stdout: on a full disk it exits 0 with its answer cut short. That was
    # "opa wrote no JSON: " and the last 500 characters of a report, which named neither the cause nor the fix.
    flows = tmp_path / "flows"
    subprocess.run(
        [sys.executable, "bench/generate.py", "--flows", "1000", "--files", "2", "--out", str(flows)],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    for lang, expected in (
        ("en", f"opa's answer did not fit in the temporary directory {nearly_full_tmpdir}: its disk is full"),
        ("nl", f"het antwoord van opa paste niet in de tijdelijke map {nearly_full_tmpdir}: de schijf is vol"),
    ):
        done = run_cli(
            "check", "--lang", lang, "--opa", opa_binary, str(flows), env={"TMPDIR": str(nearly_full_tmpdir)}
        )
        assert done.returncode == 3, (done.returncode, done.stderr)
        assert done.stdout == ""
        assert expected in done.stderr
        assert "Traceback" not in done.stderr
        assert '"arguments"' not in done.stderr
