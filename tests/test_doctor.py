"""Installed without a checkout: what a pip or pre-commit user sees without OPA, `ketencheck doctor`, and make
without Go."""

from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from checker import __version__
from checker.engine.opa_cli import PINNED_OPA_VERSION
from tests.conftest import LAWFUL, ROOT, run_cli


def _without_opa(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """ketencheck run by a Python that has no opa beside it and none on PATH: a pip install without OPA."""
    bare = tmp_path / "bare-bin"
    bare.mkdir()
    # The real interpreter, not the venv's (whose directory holds the opa `make setup` links there).
    (bare / "python3").symlink_to(Path(sys.executable).resolve())
    env = {key: value for key, value in os.environ.items() if key not in {"KETENCHECK_OPA", "VIRTUAL_ENV"}}
    env["PATH"] = "/usr/bin:/bin"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *site.getsitepackages()])
    return subprocess.run(
        [str(bare / "python3"), "-m", "checker", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_without_opa_the_error_says_how_to_get_the_pinned_one_without_a_checkout(tmp_path: Path) -> None:
    if shutil.which("opa", path="/usr/bin:/bin"):
        pytest.skip("an opa in /usr/bin or /bin: this machine cannot show a missing one")
    (tmp_path / "lawful.flow.yaml").write_text(LAWFUL, encoding="utf-8")
    done = _without_opa(tmp_path, "check", "lawful.flow.yaml")
    assert done.returncode == 3, done.stderr
    message = done.stderr
    assert "checkout" not in message.replace("without a checkout", "")
    assert f"https://github.com/open-policy-agent/opa/releases/tag/v{PINNED_OPA_VERSION}" in message
    assert f"go install github.com/open-policy-agent/opa@v{PINNED_OPA_VERSION}" in message
    assert "Go >= 1.26" in message
    assert "ketencheck doctor" in message
    assert message.count("\n") == 1, "one line in a CI log"


def test_doctor_shows_the_pinned_opa_and_the_pack(opa_binary: str) -> None:
    done = run_cli("doctor", "--opa", opa_binary)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in done.stdout.splitlines() if "  " in line)
    assert lines["ketencheck"] == __version__
    assert lines["python"].startswith(f"{sys.version_info.major}.{sys.version_info.minor}.")
    assert lines["opa"] == f"{opa_binary}: {PINNED_OPA_VERSION} (the pinned version)"
    assert re.fullmatch(r"revision 1\.\d+\.\d+\+[0-9a-f]{12}, bundled: .*policies", lines["policy pack"])
    assert done.stdout.endswith("ok: ketencheck can check flows here\n")


def test_doctor_fails_without_opa_and_says_how_to_get_it(tmp_path: Path) -> None:
    if shutil.which("opa", path="/usr/bin:/bin"):
        pytest.skip("an opa in /usr/bin or /bin: this machine cannot show a missing one")
    done = _without_opa(tmp_path, "doctor")
    assert done.returncode == 3
    assert "opa          not found" in done.stdout
    assert f"releases/tag/v{PINNED_OPA_VERSION}" in done.stdout
    assert "ketencheck: error: ketencheck cannot check flows here" in done.stderr


def test_doctor_warns_about_an_opa_that_is_not_the_pinned_one(tmp_path: Path) -> None:
    other = tmp_path / "opa"
    other.write_text("#!/bin/sh\necho 'Version: 0.70.0'\n", encoding="utf-8")
    other.chmod(0o755)
    done = run_cli("doctor", "--opa", str(other))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{other}: 0.70.0" in done.stdout
    assert f"warning: not the pinned {PINNED_OPA_VERSION}" in done.stdout


def test_doctor_fails_on_a_missing_policy_pack(tmp_path: Path, opa_binary: str) -> None:
    done = run_cli("doctor", "--opa", opa_binary, "--policies", str(tmp_path))
    assert done.returncode == 3
    assert f"missing: {tmp_path}: no ketencheck policy pack there" in done.stdout


def test_the_pinned_version_is_the_makefiles() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"OPA_VERSION := v{PINNED_OPA_VERSION}\n" in makefile


def test_the_readme_says_which_go_builds_the_pinned_opa() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Go >= 1.26" in readme
    assert f"releases/tag/v{PINNED_OPA_VERSION}" in readme
    assert "ketencheck doctor" in readme


def test_make_without_go_says_what_is_missing_and_how_to_get_it(tmp_path: Path) -> None:
    """`make demo` on a machine without Go (and no opa on PATH) stops with a sentence, not `go: command not found`."""
    if shutil.which("go", path="/usr/bin:/bin") or shutil.which("opa", path="/usr/bin:/bin"):
        pytest.skip("go or opa in /usr/bin or /bin: this machine cannot show a missing one")
    if not shutil.which("make"):
        pytest.skip("no make")
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for name in ("pyproject.toml", "constraints.txt"):
        (tmp_path / name).touch()
    # The venv as `make setup` leaves it: what is left to do is the OPA.
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / ".installed").touch()
    done = subprocess.run(
        ["make", "demo"],
        cwd=tmp_path,
        env={**os.environ, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "command not found" not in done.stderr
    assert f"the pinned opa v{PINNED_OPA_VERSION} is not on PATH, and Go (>= 1.26) to build it is not either" in (
        done.stderr
    )
    assert "https://go.dev/dl/" in done.stderr
    assert f"https://github.com/open-policy-agent/opa/releases/tag/v{PINNED_OPA_VERSION}" in done.stderr
