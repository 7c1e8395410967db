"""`bench/run.py --against REV`: ketencheck as it was at a git revision, timed in the same run as the working tree.

A budget such as "no more than 5% slower than the commit before" cannot be held against a number in a document:
runs on a shared machine vary by more than 5% from one hour to the next. So the revision is exported with
`git archive` (no checkout, no network) into the benchmark's temporary directory and run as `python -m checker`
with this venv's interpreter, PYTHONPATH and the working directory at the export, so that it imports its own
`checker` and reads its own bundled pack (checker/resources.py finds `policies/` beside the package in a source
tree) with the same pinned opa (found beside the interpreter, as for the working tree). Its runs alternate with
the working tree's, in the order ABBA..., so that machine load and a warm page cache fall on both alike; both
trees' bytecode is written first (as an installed copy has it), and one untimed run of each checks that both
did the same work.
"""

from __future__ import annotations

import argparse
import compileall
import io
import json
import os
import resource
import statistics
import subprocess
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

_GIT_TIMEOUT = 120.0
S = TypeVar("S")
BUDGET = 1.05
"""Issue 15: rendering the findings may cost at most 5% at 10,000 flows against the commit before."""


@dataclass(frozen=True)
class Tree:
    """ketencheck at one git revision, exported and runnable."""

    label: str
    """`ketencheck@<short commit>`, as the results table names it."""
    commit: str
    directory: Path
    command: tuple[str, ...]
    """The command up to (not including) `check ...`."""
    env: dict[str, str]


def add_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--against",
        metavar="REV",
        default="",
        help="also time `ketencheck check --format json` of git revision REV, interleaved with the working tree",
    )


def _git(repo: Path, *args: str) -> bytes:
    done = subprocess.run(  # noqa: S603
        ["git", "-C", str(repo), *args],  # noqa: S607
        capture_output=True,
        check=False,
        timeout=_GIT_TIMEOUT,
    )
    if done.returncode != 0:
        raise SystemExit(f"--against: git {' '.join(args)} failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def export(revision: str, target: Path, *, repo: Path, python: str) -> Tree:
    """The tree of `revision` in `target`, run by `python` (whose venv supplies the dependencies and opa)."""
    if not revision.strip() or revision.startswith("-"):
        raise SystemExit(f"--against: {revision!r} is not a git revision")
    commit = _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
    short = _git(repo, "rev-parse", "--short", commit).decode().strip()
    with tarfile.open(fileobj=io.BytesIO(_git(repo, "archive", "--format=tar", commit)), mode="r:") as archive:
        archive.extractall(target, filter="data")
    compile_bytecode(target / "checker")
    env = dict(os.environ, PYTHONPATH=str(target))
    # The revision is measured with its own pack: a pack under review in the environment is not its pack.
    env.pop("KETENCHECK_POLICIES", None)
    return Tree(f"ketencheck@{short}", commit, target, (python, "-m", "checker"), env)


def compile_bytecode(package: Path) -> None:
    """Write the package's bytecode, as `pip install` does for an installed package.

    Without it a run under PYTHONDONTWRITEBYTECODE (set in some CI images and sandboxes) compiles every module
    of the harness from source on every start: some 40 ms that no installed copy pays.
    """
    if not compileall.compile_dir(str(package), quiet=1):
        raise SystemExit(f"cannot compile the bytecode of {package}")


def version(tree: Tree) -> str:
    """`--version` of the export: proves it imports its own checker and starts."""
    done = subprocess.run(  # noqa: S603
        [*tree.command, "--version"], cwd=tree.directory, env=tree.env,
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"--against: {tree.label} does not start: {done.stderr.strip()[-500:]}")
    return done.stdout.strip()


def summary(cmd: list[str], *, cwd: Path, env: dict[str, str] | None) -> dict[str, object]:
    """One untimed run of a check; its JSON summary (it also warms the file cache for the timed runs)."""
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=False, timeout=900)  # noqa: S603
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:4])} ... failed with exit code {done.returncode}: {done.stderr[-500:]!r}")
    found: dict[str, object] = json.loads(done.stdout)["summary"]
    return found


def interleaved(current: Callable[[], S], against: Callable[[], S], runs: int) -> tuple[list[S], list[S]]:
    """`runs` samples of each, alternating ABBA... so that neither side is always the one that runs first."""
    mine: list[S] = []
    theirs: list[S] = []
    for n in range(runs):
        if n % 2 == 0:
            mine.append(current())
            theirs.append(against())
        else:
            theirs.append(against())
            mine.append(current())
    return mine, theirs


def with_cpu(run: Callable[[], S]) -> Callable[[], tuple[S, float]]:
    """`run`, and the CPU seconds (user + system) of the processes it started and waited for, theirs included:
    on a machine others share, CPU time moves less with their load than wall time does."""

    def timed() -> tuple[S, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = run()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return result, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    return timed


@dataclass(frozen=True)
class Timings:
    """Seconds of each run at one size, in the order they ran."""

    wall: tuple[list[float], list[float]]
    """Working tree, revision."""
    cpu: tuple[list[float], list[float]]


def _ratios(current: list[float], against: list[float]) -> tuple[float, list[float]]:
    return statistics.median(current) / statistics.median(against), sorted(
        c / a for c, a in zip(current, against, strict=True)
    )


def ratio_line(size: int, label: str, timings: Timings) -> str:
    """Current / against at one size: the ratio of the medians, the spread of the run-by-run pairs, and the same
    for CPU time."""
    wall, pairs = _ratios(*timings.wall)
    cpu, cpu_pairs = _ratios(*timings.cpu)
    return (
        f"- Against {label}, {size:,} flows: t(ketencheck) / t({label}) = {wall:.3f} "
        f"(medians of {len(pairs)} interleaved runs; run by run {pairs[0]:.3f}-{pairs[-1]:.3f}, "
        f"median {statistics.median(pairs):.3f}); CPU time (user + system, the process tree) {cpu:.3f} "
        f"({statistics.median(timings.cpu[0]):.2f} s / {statistics.median(timings.cpu[1]):.2f} s; "
        f"run by run {cpu_pairs[0]:.3f}-{cpu_pairs[-1]:.3f})."
    )


def target_line(size: int, label: str, timings: Timings) -> str:
    current, against = timings.wall
    ratio = statistics.median(current) / statistics.median(against)
    verdict = "holds" if ratio <= BUDGET else "misses"
    return (
        f"- {size:,} flows: ketencheck <= {BUDGET:.2f}x {label} (same run, issue 15's 5% budget): "
        f"{ratio:.3f}x, {verdict}"
    )
