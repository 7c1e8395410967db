"""`bench/run.py --against REV` (bench/against.py): the revision is exported with real git, runs on its own code
and pack, and its runs alternate with the working tree's; the table names it and holds it to the 5% budget."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import against  # noqa: E402


@pytest.fixture(scope="module")
def head() -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        # A source archive has no history to compare with; a CI checkout always has.
        if os.environ.get("CI"):
            pytest.fail(f"git cannot read the repository at {ROOT}: {done.stderr}")
        pytest.skip("not a git checkout")
    return done.stdout.strip()


def test_the_option_parses() -> None:
    parser = argparse.ArgumentParser()
    against.add_argument(parser)
    assert parser.parse_args(["--against", "bef4d6f"]).against == "bef4d6f"
    assert parser.parse_args([]).against == ""


def test_bench_run_offers_the_option() -> None:
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--help"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "--against REV" in done.stdout


def test_the_export_runs_its_own_code_and_pack(head: str, tmp_path: Path) -> None:
    tree = against.export("HEAD", tmp_path / "export", repo=ROOT, python=sys.executable)
    assert tree.label == f"ketencheck@{head}"
    assert against.version(tree).startswith("ketencheck, version ")
    # With the venv's editable install of the working tree on the path, the export must still win.
    done = subprocess.run(
        [sys.executable, "-c", "import checker.resources as r; print(r.__file__); print(r.policies_dir())"],
        cwd=tree.directory, env=tree.env, capture_output=True, text=True,
        check=True, timeout=60,
    )  # fmt: skip
    module, policies = done.stdout.splitlines()
    assert Path(module).is_relative_to(tmp_path / "export")
    assert Path(policies) == tmp_path / "export" / "policies"


def test_the_export_drops_a_pack_named_in_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KETENCHECK_POLICIES", str(tmp_path / "under-review"))
    tree = against.export("HEAD", tmp_path / "export", repo=ROOT, python=sys.executable)
    assert "KETENCHECK_POLICIES" not in tree.env
    assert tree.env["PYTHONPATH"] == str(tmp_path / "export")


def test_the_export_is_timed_with_its_bytecode_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As installed by pip, whatever PYTHONDONTWRITEBYTECODE says: a compile from source on every run is not its cost.
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    tree = against.export("HEAD", tmp_path / "export", repo=ROOT, python=sys.executable)
    compiled = {p.name.split(".")[0] for p in (tree.directory / "checker" / "__pycache__").glob("*.pyc")}
    assert {"cli", "run", "loader"} <= compiled


@pytest.mark.parametrize("revision", ["", "--output=/tmp/x", "no-such-revision-of-ketencheck"])
def test_a_revision_that_is_not_one_is_refused(revision: str, tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="--against"):
        against.export(revision, tmp_path / "export", repo=ROOT, python=sys.executable)


def test_runs_alternate_so_that_neither_side_always_goes_first() -> None:
    order: list[str] = []

    def run(name: str) -> str:
        order.append(name)
        return name

    mine, theirs = against.interleaved(lambda: run("A"), lambda: run("B"), 4)
    assert order == ["A", "B", "B", "A", "A", "B", "B", "A"]
    assert mine == ["A"] * 4
    assert theirs == ["B"] * 4


def test_the_budget_is_held_to_the_ratio_of_medians() -> None:
    cpu = ([1.0], [1.0])
    held = against.Timings(([1.04, 1.05, 9.0], [1.0, 1.0, 1.0]), cpu)
    missed = against.Timings(([1.06, 1.06, 1.06], [1.0, 1.0, 1.0]), cpu)
    assert against.target_line(10_000, "ketencheck@abc", held).endswith("1.050x, holds")
    assert against.target_line(10_000, "ketencheck@abc", missed).endswith("1.060x, misses")


def test_cpu_time_counts_the_children_a_run_waited_for() -> None:
    def busy() -> int:
        code = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
        return subprocess.run([sys.executable, "-c", code], check=True, timeout=60).returncode

    code, cpu = against.with_cpu(busy)()
    assert code == 0
    assert cpu >= 0.3


@pytest.mark.opa
def test_bench_run_times_the_revision_beside_the_working_tree(head: str, tmp_path: Path) -> None:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "bench/run.py", "--sizes", "20", "--runs", "1", "--decision-sizes", "", "--load-seconds",
         "0", "--vegeta", "", "--against", "HEAD", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert f"| 20 (2): ketencheck@{head} | " in table
    assert f"- Against ketencheck@{head}, 20 flows: t(ketencheck) / t(ketencheck@{head}) = " in table
    assert "; CPU time (user + system, the process tree) " in table
    assert "; CPU time (user + system, the process tree) " in table
    assert f"- 20 flows: ketencheck <= 1.05x ketencheck@{head} (same run, issue 15's 5% budget): " in table
