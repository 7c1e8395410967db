"""The pre-commit hooks, installed by the real pre-commit from this repository, in a scratch git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import INTEGRAL, LAWFUL, ROOT

PRE_COMMIT = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "pre-commit"
if not PRE_COMMIT.exists():
    PRE_COMMIT = ROOT / ".venv" / "bin" / "pre-commit"

pytestmark = pytest.mark.opa


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=True)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree as a commit, the way `pre-commit try-repo` shadows a dirty repository."""
    shadow = tmp_path_factory.mktemp("hook-repo")
    files = _git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z").stdout.split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            target = shadow / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    _git(shadow, "init", "-q")
    _git(shadow, "add", "-A")
    _git(shadow, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "hook repo")
    return shadow


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, opa_binary: str) -> dict[str, str]:
    # One pre-commit cache for the module: the hook's environment is built once.
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "KETENCHECK_OPA": opa_binary,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }


@pytest.fixture
def work(tmp_path: Path) -> Iterator[Path]:
    repo = tmp_path / "flows"
    repo.mkdir()
    _git(repo, "init", "-q")
    yield repo


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_try_repo_passes_a_lawful_flow_and_blocks_the_seed(work: Path, hook_repo: Path, env: dict[str, str]) -> None:
    (work / "lawful.flow.yaml").write_text(LAWFUL, encoding="utf-8")
    _git(work, "add", "lawful.flow.yaml")
    ok = _run([str(PRE_COMMIT), "try-repo", str(hook_repo), "ketencheck"], work, env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Passed" in ok.stdout

    (work / "seed.flow.yaml").write_text(INTEGRAL, encoding="utf-8")
    _git(work, "add", "seed.flow.yaml")
    blocked = _run([str(PRE_COMMIT), "try-repo", str(hook_repo), "ketencheck"], work, env)
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "Failed" in blocked.stdout
    assert "DENY  ind-coa-integraal" in blocked.stdout
    assert "integral_not_proportional" in blocked.stdout
    assert "fields: [v_nummer, besluitdatum, rechtmatig_verblijf" in blocked.stdout


def test_the_installed_hook_lets_a_lawful_commit_through_and_blocks_the_seed(
    work: Path, hook_repo: Path, env: dict[str, str]
) -> None:
    rev = _git(hook_repo, "rev-parse", "HEAD").stdout.strip()
    config = f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: ketencheck\n"
    (work / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    assert _run([str(PRE_COMMIT), "install"], work, env).returncode == 0
    (work / "lawful.flow.yaml").write_text(LAWFUL, encoding="utf-8")
    _git(work, "add", ".pre-commit-config.yaml", "lawful.flow.yaml")
    ok = _run(["git", "commit", "-m", "lawful flow"], work, env)
    assert ok.returncode == 0, ok.stdout + ok.stderr

    (work / "seed.flow.yaml").write_text(INTEGRAL, encoding="utf-8")
    _git(work, "add", "seed.flow.yaml")
    blocked = _run(["git", "commit", "-m", "the seed's integral flow"], work, env)
    assert blocked.returncode != 0
    assert "integral_not_proportional" in blocked.stdout + blocked.stderr
    assert _git(work, "log", "--oneline").stdout.count("\n") == 1  # only the lawful commit landed


def test_the_policy_hook_flags_unformatted_rego(work: Path, hook_repo: Path, env: dict[str, str]) -> None:
    shutil.copytree(ROOT / "policies", work / "policies")
    _git(work, "add", "policies")
    clean = _run([str(PRE_COMMIT), "try-repo", str(hook_repo), "ketencheck-policy", "--all-files"], work, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    main = work / "policies" / "ketencheck" / "main.rego"
    main.write_text(main.read_text(encoding="utf-8").replace("\t", "    "), encoding="utf-8")
    _git(work, "add", "policies")
    dirty = _run([str(PRE_COMMIT), "try-repo", str(hook_repo), "ketencheck-policy", "--all-files"], work, env)
    assert dirty.returncode == 1
    assert "main.rego: not formatted as `opa fmt` would" in dirty.stdout


INBOUND = """\
version: 1
flows:
  - id: ind-coa-huisvesting
    from: IND
    to: COA
    document: beschikking_toewijzend
    form: extract
    fields: [v_nummer, naam, geboortedatum, gezinssamenstelling, vergunning_geldigheid]
    purpose: huisvesting_vergunninghouders
    legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e]
    retention: P1Y
"""

FORWARD = """\
version: 1
flows:
  - id: coa-gemeente-huisvesting
    from: COA
    to: GEMEENTE
    document: beschikking_toewijzend
    form: extract
    fields: [v_nummer, naam, gezinssamenstelling]
    purpose: huisvesting_vergunninghouders
    legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e, huisvestingswet_28]
    retention: P1Y
"""


def test_narrowing_a_staged_inbound_flow_reports_the_forwarding_flow_it_breaks(
    work: Path, hook_repo: Path, env: dict[str, str]
) -> None:
    # Issue 12, item 10: only the inbound file is staged; the forwarding flow in an unchanged file loses its source.
    (work / "inbound.flow.yaml").write_text(INBOUND, encoding="utf-8")
    (work / "forward.flow.yaml").write_text(FORWARD, encoding="utf-8")
    _git(work, "add", "-A")
    ok = _run([str(PRE_COMMIT), "try-repo", str(hook_repo), "ketencheck", "--all-files"], work, env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    _git(work, "commit", "-q", "-m", "a lawful chain")

    (work / "inbound.flow.yaml").write_text(INBOUND.replace("naam, geboortedatum", "geboortedatum"), encoding="utf-8")
    _git(work, "add", "inbound.flow.yaml")
    hook = _run([str(PRE_COMMIT), "try-repo", str(hook_repo), "ketencheck"], work, env)
    assert hook.returncode == 1, hook.stdout + hook.stderr
    assert "forward.flow.yaml" in hook.stdout
    assert "DENY  coa-gemeente-huisvesting" in hook.stdout
    assert "error provenance" in hook.stdout
    assert "no lawful source in this set for naam" in " ".join(hook.stdout.split())
    # The staged flow itself stays allowed; only chain findings of the unchanged file are reported.
    assert "ALLOW ind-coa-huisvesting" in hook.stdout
