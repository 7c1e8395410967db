"""docs/ci.md as a user copies it: the workflow's `run:` scripts, under `bash -e`, on a scratch repository of flows.

Steps that install from the network (go install, pip install) run against stand-ins on PATH that put the pinned
OPA and this checkout's ketencheck where the real ones would; everything else runs as written.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from junitparser import Error, Failure, JUnitXml

from tests.conftest import INTEGRAL, LAWFUL, ROOT, run_cli
from tests.test_ci import sarif_errors, sarif_multitool  # noqa: F401 - the validator fixture

CI_MD = ROOT / "docs" / "ci.md"
REPORTS = ("ketencheck.sarif", "ketencheck-junit.xml")

pytestmark = pytest.mark.opa


def _yaml_block(heading: str) -> str:
    text = CI_MD.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    match = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert match, f"no yaml block under {heading}"
    return match.group(1)


def _workflow() -> dict[str, Any]:
    document = yaml.safe_load(_yaml_block("## GitHub Actions"))
    assert isinstance(document, dict)
    return document


def _steps() -> list[dict[str, Any]]:
    jobs = _workflow()["jobs"]
    assert len(jobs) == 1
    steps = next(iter(jobs.values()))["steps"]
    assert isinstance(steps, list)
    return steps


def _stand_ins(bin_dir: Path, opa: str) -> None:
    # `go install ...opa@v1.22.3` leaves the pinned opa in $GOBIN; `pip install ...` leaves ketencheck on PATH.
    bin_dir.mkdir()
    (bin_dir / "go").write_text(
        '#!/bin/bash\nset -e\n[ "$1" = install ] && [[ "$2" == github.com/open-policy-agent/opa@v1.22.3 ]]\n'
        f'mkdir -p "$GOBIN" && ln -sf {opa} "$GOBIN/opa"\n',
        encoding="utf-8",
    )
    (bin_dir / "pip").write_text('#!/bin/bash\n[ "$1" = install ]\n', encoding="utf-8")
    for tool in ("go", "pip"):
        (bin_dir / tool).chmod(0o755)
    (bin_dir / "ketencheck").symlink_to(Path(sys.executable).parent / "ketencheck")


def _run_workflow(repo: Path, tmp_path: Path, opa: str) -> list[subprocess.CompletedProcess[str]]:
    """Every `run:` step in order, as Actions does: bash -e, $GITHUB_ENV applied to the steps after it."""
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    _stand_ins(tmp_path / "stand-ins", opa)
    github_env = tmp_path / "github-env"
    github_env.touch()
    env = {
        key: value for key, value in os.environ.items() if key not in {"KETENCHECK_OPA", "VIRTUAL_ENV", "PYTHONPATH"}
    }
    env.update(
        PATH=f"{tmp_path / 'stand-ins'}:/usr/bin:/bin",
        RUNNER_TEMP=str(runner_temp),
        GITHUB_ENV=str(github_env),
        GITHUB_ACTIONS="true",
    )
    done = []
    for step in _steps():
        if "run" not in step:
            continue
        for line in github_env.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            env[key] = value
        result = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True, timeout=120
        )
        done.append(result)
        if result.returncode != 0:
            break
    return done


def _repo(tmp_path: Path, flows: str) -> Path:
    repo = tmp_path / "repo"
    (repo / "flows").mkdir(parents=True)
    (repo / "flows" / "ind-coa.flow.yaml").write_text(flows, encoding="utf-8")
    return repo


def _sarif(repo: Path) -> dict[str, Any]:
    document = json.loads((repo / "ketencheck.sarif").read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_the_recipe_passes_a_lawful_set(tmp_path: Path, opa_binary: str) -> None:
    repo = _repo(tmp_path, LAWFUL)
    steps = _run_workflow(repo, tmp_path, opa_binary)
    assert [s.returncode for s in steps] == [0, 0], [s.stderr for s in steps]
    for name in REPORTS:
        assert (repo / name).is_file(), name
    assert _sarif(repo)["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_the_recipe_fails_a_denied_set_with_every_report_and_the_annotations(tmp_path: Path, opa_binary: str) -> None:
    repo = _repo(tmp_path, INTEGRAL)
    steps = _run_workflow(repo, tmp_path, opa_binary)
    assert [s.returncode for s in steps] == [0, 1], [s.stderr for s in steps]
    # The annotations are in the same step's log: the gate no longer ends the step before they are written.
    assert "::error file=flows/ind-coa.flow.yaml" in steps[-1].stdout
    results = _sarif(repo)["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"integral_not_proportional"}
    failures = [r for s in JUnitXml.fromfile(str(repo / "ketencheck-junit.xml")) for c in s for r in c.result]
    assert any(isinstance(r, Failure) for r in failures)


def test_the_recipe_on_broken_input_exits_2_with_every_report(tmp_path: Path, opa_binary: str) -> None:
    repo = _repo(tmp_path, "version: 1\nflows:\n  - id: [not, an, id\n")
    steps = _run_workflow(repo, tmp_path, opa_binary)
    assert [s.returncode for s in steps] == [0, 2], [s.stderr for s in steps]
    invocation = _sarif(repo)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["level"] == "error"
    cases = [c for s in JUnitXml.fromfile(str(repo / "ketencheck-junit.xml")) for c in s]
    assert any(isinstance(r, Error) for c in cases for r in c.result)


def test_the_recipe_writes_every_report_when_the_engine_fails(
    tmp_path: Path,
    opa_binary: str,
    sarif_multitool: str,  # noqa: F811 - the fixture imported above
) -> None:
    repo = _repo(tmp_path, LAWFUL)
    broken = tmp_path / "broken-opa"
    broken.write_text("#!/bin/sh\necho 'opa: segmentation fault' >&2\nexit 139\n", encoding="utf-8")
    broken.chmod(0o755)
    steps = _run_workflow(repo, tmp_path, str(broken))
    assert [s.returncode for s in steps] == [0, 3], [s.stderr for s in steps]
    assert "ketencheck: error:" in steps[-1].stderr
    invocation = _sarif(repo)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notification = invocation["toolExecutionNotifications"][0]
    assert notification["descriptor"]["id"] == "engine_error"
    assert "engine failure (exit 3)" in notification["message"]["text"]
    assert "segmentation fault" in notification["message"]["text"]
    assert sarif_errors(sarif_multitool, repo / "ketencheck.sarif") == []
    errors = [r for s in JUnitXml.fromfile(str(repo / "ketencheck-junit.xml")) for c in s for r in c.result]
    assert errors and all(isinstance(r, Error) for r in errors)
    assert "engine failure" in (errors[0].message or "")
    assert errors[0].type == "engine_error"


def test_the_workflow_grants_what_the_sarif_upload_needs_in_a_private_repository() -> None:
    permissions = _workflow()["permissions"]
    assert permissions == {"contents": "read", "security-events": "write", "actions": "read"}
    upload = next(s for s in _steps() if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif"))
    assert upload["if"] == "always()"
    assert "actions: read" in CI_MD.read_text(encoding="utf-8")


def test_the_gitlab_job_installs_nothing_from_a_folder_it_does_not_fetch() -> None:
    job = yaml.safe_load(_yaml_block("## GitLab CI"))["ketencheck"]
    for line in job["before_script"] + job["script"]:
        assert not re.search(r"pip install \.?/", line), line
        assert "./ketencheck" not in line, line


def test_actionlint_accepts_the_workflow(tmp_path: Path) -> None:
    """actionlint, built by `make test` from its Go module; skipped locally without it, a failure in CI."""
    tool = os.environ.get("KETENCHECK_ACTIONLINT") or str(ROOT / ".tools" / "actionlint-v1.7.12" / "actionlint")
    if not Path(tool).exists():
        tool = shutil.which("actionlint") or tool
    if not Path(tool).exists():
        if os.environ.get("CI"):
            pytest.fail(f"actionlint missing at {tool}: in CI this is a failure (run `make test`)")
        pytest.skip("actionlint not installed (run `make test`)")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ketencheck.yml").write_text(_yaml_block("## GitHub Actions"), encoding="utf-8")
    done = subprocess.run(
        [tool, "-shellcheck=", "-pyflakes=", "-no-color", ".github/workflows/ketencheck.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_one_run_writes_each_format_to_its_file_and_one_to_stdout(tmp_path: Path, opa_binary: str) -> None:
    flows = tmp_path / "seed.flow.yaml"
    flows.write_text(INTEGRAL, encoding="utf-8")
    done = run_cli(
        "check",
        "--format",
        f"json={tmp_path / 'r.json'}",
        "--format",
        f"markdown={tmp_path / 'r.md'}",
        "--format",
        "github",
        "--",
        str(flows),
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("::error ")
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["summary"]["denied"] == 1
    assert "integral_not_proportional" in (tmp_path / "r.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("formats", "message"),
    [
        (["text", "json"], "text and json would both go to standard output"),
        (["yaml=r.yaml"], "'yaml' is not one of"),
        (["sarif="], "names no file"),
        (["sarif=r.out", "json=r.out"], "the same file"),
    ],
)
def test_format_targets_that_cannot_work_are_usage_errors(tmp_path: Path, formats: list[str], message: str) -> None:
    args = [arg for value in formats for arg in ("--format", value)]
    done = run_cli("check", *args, "--", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr


def test_a_bare_format_still_goes_to_output(tmp_path: Path, opa_binary: str) -> None:
    flows = tmp_path / "lawful.flow.yaml"
    flows.write_text(LAWFUL, encoding="utf-8")
    done = run_cli("check", "--format", "json", "--output", str(tmp_path / "r.json"), "--", str(flows))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["summary"]["allowed"] == 1
