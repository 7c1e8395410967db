"""Time the pre-commit hook as pre-commit runs it: a fresh `ketencheck check --context . -- FILES` process.

    python bench/hook.py [--runs 7]

Prints the median wall time for one staged file and for 100 staged files (two flows each), in a scratch
repository that also holds the examples as context.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from against import compile_bytecode  # noqa: E402
from generate import _yaml, generate  # noqa: E402


def _median(cmd: list[str], cwd: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)  # noqa: S603
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()[:500]}")
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    ketencheck = str(Path(sys.executable).parent / "ketencheck")
    # pre-commit runs an installed copy, whose bytecode pip wrote: time that, not a compile from source.
    compile_bytecode(ROOT / "checker")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        shutil.copytree(ROOT / "examples", repo / "examples")
        staged = repo / "staged"
        staged.mkdir()
        for n, flows in enumerate(generate(200, 100, seed=7, unlawful=0.2)):
            (staged / f"set-{n:03d}.flow.yaml").write_text(_yaml(flows), encoding="utf-8")
        files = sorted(str(p.relative_to(repo)) for p in staged.iterdir())
        rows = [
            ("1 file (2 flows), context: examples/", [ketencheck, "check", "--context", "examples", "--", files[0]]),
            ("1 file (2 flows), no context", [ketencheck, "check", files[0]]),
            ("100 files (200 flows), context: examples/", [ketencheck, "check", "--context", "examples", "--", *files]),
            ("python -c pass (interpreter start-up)", [sys.executable, "-c", "pass"]),
            ("opa version (opa start-up)", [str(Path(sys.executable).parent / "opa"), "version"]),
        ]
        print("| hook invocation | median wall |")
        print("|---|---:|")
        for label, cmd in rows:
            print(f"| {label} | {_median(cmd, repo, args.runs) * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
