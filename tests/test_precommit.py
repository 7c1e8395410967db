"""The pre-commit hooks, installed by the real pre-commit from this repository, in a scratch git repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker import __version__
from tests.conftest import INTEGRAL, LAWFUL, ROOT, run_cli

# Installed beside the Python running the tests, wherever that environment is.
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"

pytestmark = pytest.mark.opa


# CI may run with a HOME that has no git identity: every commit a test makes names its own.
_IDENTITY = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **_IDENTITY}
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=True, env=env)


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


# A permissive pack: every flow allowed. Swapped in through an option, it would open the gate.
_OPEN_PACK = (
    'package ketencheck.main\n\nresult := {"findings": [], "verdicts": {f.id: "allow" | some f in input.flows}}\n'
)
_BASELINE_FLOW = (
    '{"version": 1, "flows": [{"id": "ind-coa-named-like-an-option", "from": "IND", "to": "COA", '
    '"document": "beschikking_afwijzend", "form": "extract", "fields": ["v_nummer"], "purpose": "einde_opvang", '
    '"legal_basis": ["avg_6_1_c", "vw_107_4", "vv_7_1e"]}]}\n'
)


def test_a_file_named_like_an_option_stays_a_file_name(work: Path, hook_repo: Path, env: dict[str, str]) -> None:
    # docs/security.md, option injection: before the fix both files turned the hook green next to the integral
    # flow, the first writing the hidden findings into x.flow.json, the second swapping in the open pack.
    (work / "seed.flow.yaml").write_text(INTEGRAL, encoding="utf-8")
    (work / "--write-baseline=x.flow.json").write_text(_BASELINE_FLOW, encoding="utf-8")
    (work / "--policies=open.flow.yaml").write_text(LAWFUL, encoding="utf-8")
    (work / "open.flow.yaml" / "ketencheck").mkdir(parents=True)
    (work / "open.flow.yaml" / "ketencheck" / "main.rego").write_text(_OPEN_PACK, encoding="utf-8")
    _git(work, "add", "-A")
    hook = _run([str(PRE_COMMIT), "try-repo", str(hook_repo), "ketencheck", "--all-files", "--verbose"], work, env)
    assert hook.returncode == 1, hook.stdout + hook.stderr
    assert "Failed" in hook.stdout
    assert "DENY  ind-coa-integraal" in hook.stdout
    assert "integral_not_proportional" in hook.stdout
    assert not (work / "x.flow.json").exists()


def test_the_command_refuses_a_file_name_before_the_end_of_options(work: Path) -> None:
    # A hook or script without `--` (an old configuration, a local hook): refused, nothing written.
    (work / "seed.flow.yaml").write_text(INTEGRAL, encoding="utf-8")
    (work / "--write-baseline=x.flow.json").write_text(_BASELINE_FLOW, encoding="utf-8")
    done = run_cli("check", "--context", ".", "seed.flow.yaml", "--write-baseline=x.flow.json", cwd=work)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "'--write-baseline=x.flow.json' starts with '-' and is also the name of a file" in done.stderr
    assert "after '--'" in done.stderr and "./--write-baseline=x.flow.json" in done.stderr
    assert not (work / "x.flow.json").exists()
    named = run_cli("check", "--context", ".", "--", "seed.flow.yaml", "--write-baseline=x.flow.json", cwd=work)
    assert named.returncode == 1, named.stdout + named.stderr
    assert "DENY  ind-coa-integraal" in named.stdout
    assert not (work / "x.flow.json").exists()


def test_the_policy_hook_compiles_the_pack_it_was_given(work: Path, hook_repo: Path, env: dict[str, str]) -> None:
    # Before the fix, a file named --policies=evil.rego made the hook compile the directory evil.rego instead
    # of the pack, and a pack that does not compile passed.
    shutil.copytree(ROOT / "policies", work / "policies")
    broken = "package ketencheck.broken\n\nx if {\n\ty := 1\n\ttrue\n}\n"  # formatted, but fails --strict
    (work / "policies" / "ketencheck" / "broken.rego").write_text(broken, encoding="utf-8")
    (work / "evil.rego").mkdir()
    (work / "evil.rego" / "p.rego").write_text("package evil\n\nallow := true\n", encoding="utf-8")
    (work / "--policies=evil.rego").write_text("package evil2\n\nallow := true\n", encoding="utf-8")
    _git(work, "add", "-A")
    hook = _run([str(PRE_COMMIT), "try-repo", str(hook_repo), "ketencheck-policy", "--all-files"], work, env)
    assert hook.returncode == 1, hook.stdout + hook.stderr
    assert "broken.rego:4: rego_compile_error: assigned var y unused" in hook.stdout
    assert "evil.rego compiles" not in hook.stdout


def _readme_snippet() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## As a pre-commit hook") :]
    match = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert match, "no yaml block under the README's pre-commit section"
    return match.group(1)


def test_the_readmes_snippet_works_as_written_and_autoupdate_moves_it_to_the_release_tag(
    work: Path, hook_repo: Path, env: dict[str, str], tmp_path: Path
) -> None:
    """The README's .pre-commit-config.yaml with only the URL (and the sha placeholder) filled in, then the
    release procedure's tag (docs/release.md) in a scratch clone, which `pre-commit autoupdate` must find."""
    clone = tmp_path / "ketencheck"
    _git(tmp_path, "clone", "-q", str(hook_repo), str(clone))
    sha = _git(clone, "rev-parse", "HEAD").stdout.strip()
    snippet = _readme_snippet()
    url = "https://example.org/your-org/ketencheck"
    assert url in snippet
    config = snippet.replace(url, str(clone)).replace("rev: <commit sha>", f"rev: {sha}")
    (work / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    (work / "lawful.flow.yaml").write_text(LAWFUL, encoding="utf-8")
    _git(work, "add", ".pre-commit-config.yaml", "lawful.flow.yaml")
    ok = _run([str(PRE_COMMIT), "run", "--all-files"], work, env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "ketencheck (flow files)" in ok.stdout and "Passed" in ok.stdout

    tag = f"v{__version__}"
    _git(clone, "-c", "user.name=t", "-c", "user.email=t@example.org", "tag", "-a", tag, "-m", "release")
    updated = _run([str(PRE_COMMIT), "autoupdate"], work, env)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert f"rev: {tag}" in (work / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    (work / "seed.flow.yaml").write_text(INTEGRAL, encoding="utf-8")
    _git(work, "add", "-A")
    blocked = _run([str(PRE_COMMIT), "run", "--all-files"], work, env)
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "integral_not_proportional" in blocked.stdout


def test_the_version_is_semver_and_every_release_tag_has_its_changelog_section() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__), __version__
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
    tags = subprocess.run(
        ["git", "tag", "--list", "v*"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    ).stdout.split()
    for tag in tags:
        assert re.fullmatch(r"v\d+\.\d+\.\d+", tag), f"release tags are vX.Y.Z: {tag}"
        assert f"## [{tag[1:]}]" in changelog, f"CHANGELOG.md has no section for {tag}"
    release = (ROOT / "docs" / "release.md").read_text(encoding="utf-8")
    assert "checker/__init__.py" in release and "git tag -a vX.Y.Z" in release


def test_the_hook_checks_a_flow_file_whose_name_is_in_capitals(
    work: Path, hook_repo: Path, env: dict[str, str]
) -> None:
    # check reads X.FLOW.YAML as a flow file (the loader matches names in any case); the hook must hand it over.
    (work / "SEED.FLOW.YAML").write_text(INTEGRAL, encoding="utf-8")
    _git(work, "add", "SEED.FLOW.YAML")
    blocked = _run([str(PRE_COMMIT), "try-repo", str(hook_repo), "ketencheck"], work, env)
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "DENY  ind-coa-integraal" in blocked.stdout
