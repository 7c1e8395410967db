"""Engine faults through the real CLI: each is exit 3 with a message that says which, never a pass."""

from __future__ import annotations

import shutil
import subprocess
import sys
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
        ('cat >/dev/null; printf \'{"result": [{"expressions": [{"value": {"findings": [\'', "opa wrote no JSON"),
        ("cat >/dev/null; echo '{}'", "opa gave no result for data.ketencheck.main.result: is the policy pack loaded?"),
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
