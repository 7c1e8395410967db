"""`make bench`: whole-process wall time and peak memory of ketencheck against the floor and its peers.

    python bench/run.py [--sizes 1000,10000,100000] [--runs 3] [--out out/bench]

For each size N (in N/10 files) it measures, as a median of --runs:
  ketencheck   `ketencheck check --format json DIR`
  floor        bare `opa eval` of the same policies on the same flows, already converted to one JSON input
  conftest     `conftest test` over the same files with the pack's single-flow rules (bench/conftest)
and once, at the smallest size, the naive design (one `opa eval` per flow), plus the pre-commit case (one file,
two flows). Peak memory is the largest sum of the resident memory of the process and all its descendants,
sampled every 10 ms: a Python harness and the opa it waits for are both in memory at the same time.
Writes out/bench/results.md and prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import _yaml, generate  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_mb: float
    code: int


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants right now."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


def measure(cmd: list[str], *, stdin: Path | None = None, cwd: Path = ROOT) -> Sample:
    """Wall time and peak tree memory of one run."""
    peak = 0
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as source:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)  # noqa: S603
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss(proc.pid))
                done.wait(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    return Sample(seconds, peak / 2**20, code)


def median(cmd: list[str], runs: int, **kwargs: object) -> Sample:
    samples = [measure(cmd, **kwargs) for _ in range(runs)]  # type: ignore[arg-type]
    codes = {s.code for s in samples}
    if not codes <= {0, 1}:
        raise SystemExit(f"{' '.join(cmd[:4])} ... failed with exit code {codes}")
    return Sample(
        statistics.median(s.seconds for s in samples), statistics.median(s.peak_mb for s in samples), samples[0].code
    )


def _write_flows(directory: Path, flows: int, files: int) -> None:
    directory.mkdir(parents=True)
    for n, chunk in enumerate(generate(flows, files, seed=1, unlawful=0.2)):
        (directory / f"set-{n:05d}.flow.yaml").write_text(_yaml(chunk), encoding="utf-8")


def _floor_input(directory: Path, target: Path) -> int:
    from checker.engine.codec import policy_input
    from checker.engine.interface import Request
    from checker.loader import load

    loaded = load([str(directory)])
    target.write_text(json.dumps(policy_input(Request(loaded.flows))), encoding="utf-8")
    return len(loaded.flows)


def _pack_without_tests(target: Path) -> Path:
    shutil.copytree(ROOT / "policies", target, ignore=shutil.ignore_patterns("*_test.rego"))
    shutil.copy(ROOT / "bench" / "conftest" / "ketencheck.rego", target / "conftest_main.rego")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench")
    parser.add_argument("--opa", default=str(ROOT / ".venv" / "bin" / "opa"))
    parser.add_argument("--conftest", default=os.environ.get("CONFTEST", ""))
    args = parser.parse_args(argv)
    ketencheck = str(ROOT / ".venv" / "bin" / "ketencheck")
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ketencheck-bench-") as tmp:
        work = Path(tmp)
        pack = _pack_without_tests(work / "pack")
        results: dict[int, dict[str, Sample]] = {}
        for size in sizes:
            flows_dir = work / f"flows-{size}"
            _write_flows(flows_dir, size, max(1, size // 10))
            floor_json = work / f"input-{size}.json"
            _floor_input(flows_dir, floor_json)
            runs = args.runs
            found: dict[str, Sample] = {}
            found["ketencheck"] = median(
                [ketencheck, "check", "--format", "json", "--timeout", "600", str(flows_dir)], runs
            )
            floor = [*_opa_eval(args.opa, pack), "--input", str(floor_json), "data.ketencheck.main.result"]
            _require_result(floor)
            found["floor"] = median(floor, runs)
            if args.conftest:
                # conftest takes minutes at 100,000 flows: once is enough to compare.
                found["conftest"] = median(
                    [args.conftest, "test", "--no-color", "--output", "json", "--policy", str(pack),
                     "--data", str(pack), str(flows_dir)],
                    1 if size >= 100_000 else runs,
                )  # fmt: skip
            results[size] = found
            print(
                f"{size:>7} flows: "
                + ", ".join(f"{k} {v.seconds:.2f} s / {v.peak_mb:.0f} MB" for k, v in found.items()),
                flush=True,
            )
        smallest = min(sizes)
        # One process per flow takes about 50 ms a flow: measured at 1,000 flows at most.
        naive = _naive(args.opa, pack, work / f"flows-{smallest}", work) if smallest <= 1000 else None
        precommit_dir = work / "precommit"
        _write_flows(precommit_dir, 2, 1)
        precommit = median([ketencheck, "check", str(next(precommit_dir.iterdir()))], 7)

    columns = ["flows (files)", "ketencheck", "floor: bare `opa eval`", "conftest", "ketencheck / floor"]
    rows.append("| " + " | ".join([*columns, "ketencheck / conftest"]) + " |")
    rows.append("|---|---|---|---|---:|---:|")
    for size, found in results.items():
        k, f = found["ketencheck"], found["floor"]
        c = found.get("conftest")
        conftest = f"{c.seconds:.2f} s, {c.peak_mb:.0f} MB" if c else "not run"
        rows.append(
            f"| {size:,} ({max(1, size // 10):,}) | {k.seconds:.2f} s, {k.peak_mb:.0f} MB "
            f"| {f.seconds:.2f} s, {f.peak_mb:.0f} MB | {conftest} | {k.seconds / f.seconds:.2f} "
            f"| {f'{k.seconds / c.seconds:.2f}' if c else '-'} |"
        )
    small = results[smallest]["ketencheck"]
    lines = [
        f"Machine: {platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}, "
        f"{_version(args.opa)}; median of {args.runs} runs; peak = largest sum of resident memory of the process tree.",
        "",
        *rows,
        "",
        f"- Naive design, one `opa eval` per flow, {smallest:,} flows: {naive:.1f} s "
        f"({naive / small.seconds:.0f}x ketencheck's {small.seconds:.2f} s)."
        if naive is not None
        else "- Naive design: not measured (only at 1,000 flows or fewer).",
        f"- Pre-commit case, one file with two flows: {precommit.seconds * 1000:.0f} ms, {precommit.peak_mb:.0f} MB.",
    ]
    if len(results) > 1:
        ordered = sorted(results)
        for small, large in zip(ordered, ordered[1:], strict=False):
            ratio = results[large]["ketencheck"].seconds / results[small]["ketencheck"].seconds
            lines.append(f"- Growth: t({large:,}) / t({small:,}) = {ratio:.1f} for {large // small}x the flows.")
    text = "\n".join(lines) + "\n"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(text, encoding="utf-8")
    print()
    print(text)
    return 0


def _naive(opa: str, pack: Path, flows_dir: Path, work: Path) -> float:
    """One opa eval per flow: what a harness that loops over flows would cost."""
    from checker.engine.codec import policy_input
    from checker.engine.interface import Request
    from checker.loader import load

    flows = load([str(flows_dir)]).flows
    inputs = []
    for n, flow in enumerate(flows):
        path = work / f"naive-{n}.json"
        path.write_text(json.dumps(policy_input(Request([flow]))), encoding="utf-8")
        inputs.append(path)
    start = time.perf_counter()
    for path in inputs:
        subprocess.run(  # noqa: S603
            [
                opa,
                "eval",
                "--format=json",
                "--data",
                str(pack / "ketencheck"),
                "--input",
                str(path),
                "data.ketencheck.main.result",
            ],
            stdout=subprocess.DEVNULL,
            check=True,
        )
    return time.perf_counter() - start


def _opa_eval(opa: str, pack: Path) -> list[str]:
    # The pack directory is the data root (data.ketencheck...); the conftest entry point is not part of it.
    return [opa, "eval", "--format=json", "--data", str(pack), "--ignore", "conftest_main.rego"]


def _require_result(cmd: list[str]) -> None:
    # A floor that evaluates nothing would be a fast lie: check once that the query has a result.
    done = subprocess.run(cmd, capture_output=True, check=True)  # noqa: S603
    if not json.loads(done.stdout).get("result"):
        raise SystemExit(f"the floor query has no result: {done.stderr.decode()[:300]}")


def _version(opa: str) -> str:
    done = subprocess.run([opa, "version"], capture_output=True, text=True, check=False)  # noqa: S603
    return "OPA " + (done.stdout.splitlines()[0].split(":", 1)[1].strip() if done.stdout else "?")


if __name__ == "__main__":
    sys.exit(main())
