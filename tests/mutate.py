"""`make mutate`: mutation testing of the policy pack. Do the tests notice when the policies are wrong?

    python tests/mutate.py [--limit N] [--jobs 2]

Each mutant is one small change to a copy of policies/: a flipped comparison, a dropped condition, a removed
`not`, a field removed from a matrix row, a basis removed from a row, a form widened, a severity lowered. A
mutant that no longer compiles (`opa check`) is stillborn and not counted. The others run `opa test`; a mutant
that survives it runs the Python end-to-end tests (examples, explain, audit goldens) against the mutant pack
(KETENCHECK_POLICIES). Killed = some test failed. Prints the kill rate and every surviving mutant.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
# Beside the Python running this script (make mutate runs it with the venv's), wherever that environment is.
OPA = str(Path(sys.executable).parent / "opa")
PYTEST = str(Path(sys.executable).parent / "pytest")
KETENCHECK = str(Path(sys.executable).parent / "ketencheck")
END_TO_END = [
    "tests/test_integration.py",
    "tests/test_explain.py",
    "tests/test_audit.py",
    "tests/test_pack_v1_1.py",
    "-x",
    "-q",
    "-p",
    "no:cacheprovider",
]

_FLIPS = [(" == ", " != "), (" != ", " == "), (" >= ", " > "), (" > ", " >= "), (" <= ", " < "), (" < ", " <= ")]


@dataclass(frozen=True)
class Mutant:
    file: str
    """Relative to policies/."""
    line: int
    kind: str
    before: str
    after: str

    def describe(self) -> str:
        return f"{self.file}:{self.line} [{self.kind}] {self.before.strip()!r} -> {self.after.strip()!r}"


def _rego_mutants() -> list[Mutant]:
    mutants = []
    for path in sorted(POLICIES.rglob("*.rego")):
        if path.name.endswith("_test.rego"):
            continue
        rel = str(path.relative_to(POLICIES))
        lines = path.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines, 1):
            code = line.split("#", 1)[0]
            if not code.strip() or not line.startswith("\t"):
                continue  # only rule bodies: package, imports and heads are left alone
            for old, new in _FLIPS:
                if old in code:
                    mutants.append(Mutant(rel, n, "flip comparison", line, line.replace(old, new, 1)))
                    break
            stripped = code.strip()
            if stripped.startswith("not "):
                mutants.append(Mutant(rel, n, "drop not", line, line.replace("not ", "", 1)))
            is_condition = (
                line.startswith("\t")
                and not line.startswith("\t\t")
                and ":=" not in code
                and not stripped.startswith(("some ", "every ", "}", "]", ")", "[", "{"))
                and not stripped.endswith(("{", "[", "(", ","))
            )
            if is_condition:
                mutants.append(Mutant(rel, n, "drop condition", line, ""))
    return mutants


def _catalogue_mutants() -> list[Mutant]:
    mutants = []
    for path in sorted((POLICIES / "ketencheck" / "catalogue").rglob("data.yaml")):
        rel = str(path.relative_to(POLICIES))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "fields: [" in line and "matrix" in rel:
                items = line.split("[", 1)[1].rstrip("]").split(", ")
                if len(items) > 1:
                    mutants.append(
                        Mutant(rel, n, "remove a field from a row", line, line.replace(items[0] + ", ", "", 1))
                    )
            if line.strip().startswith("bases: [") and "," in line:
                first = line.split("[", 1)[1].split(",", 1)[0]
                mutants.append(Mutant(rel, n, "remove a basis from a row", line, line.replace(first + ", ", "", 1)))
            if line.strip() == "form: extract":
                mutants.append(Mutant(rel, n, "widen a row to integral", line, line.replace("extract", "integral")))
            if re.match(r"^\w+: \{category: (special|criminal)", line):
                mutants.append(
                    Mutant(rel, n, "declassify a field", line, re.sub(r"category: \w+", "category: ordinary", line))
                )
            # The entries pack 1.1 added or changed: who is a bestuursorgaan, when a basis is required, who
            # originates a document and what it holds. Each must be pinned to domain.md by some test.
            if re.match(r"^  bestuursorgaan: (true|false)$", line):
                flipped = "false" if line.endswith("true") else "true"
                mutants.append(Mutant(rel, n, "flip bestuursorgaan", line, f"  bestuursorgaan: {flipped}"))
            if re.match(r"^  kind: (special|criminal|special_or_criminal|biometric)$", line):
                mutants.append(Mutant(rel, n, "make a basis always required", line, "  kind: general"))
            if re.match(r"^  originator: \w+$", line):
                other = "BZ" if line.endswith("IND") else "IND"
                mutants.append(Mutant(rel, n, "change an originator", line, f"  originator: {other}"))
            if "documents" in rel and re.match(r"^  fields: \[\w+, ", line):
                items = line.split("[", 1)[1].rstrip("]").split(", ")
                mutants.append(
                    Mutant(rel, n, "remove a field from a document", line, line.replace(items[0] + ", ", "", 1))
                )
    for path in sorted((POLICIES / "ketencheck").rglob("*.rego")):
        rel = str(path.relative_to(POLICIES))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() == "#   severity: error":
                mutants.append(Mutant(rel, n, "lower severity", line, line.replace("error", "warning")))
    return mutants


def _apply(mutant: Mutant, workdir: Path) -> Path:
    pack = workdir / "policies"
    shutil.copytree(POLICIES, pack)
    target = pack / mutant.file
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[mutant.line - 1] == mutant.before
    lines[mutant.line - 1] = mutant.after
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pack


def _run(args: list[str], env: dict[str, str] | None = None, timeout: int = 600) -> int:
    return subprocess.run(args, cwd=ROOT, capture_output=True, timeout=timeout, env=env, check=False).returncode  # noqa: S603


def judge(mutant: Mutant) -> str:
    """killed, survived or stillborn."""
    with tempfile.TemporaryDirectory(prefix="ketencheck-mutant-") as tmp:
        pack = _apply(mutant, Path(tmp))
        if _run([OPA, "check", str(pack)]) != 0:
            return "stillborn"
        # The catalogue index is generated from the catalogue: regenerated here, a catalogue mutant must be
        # caught by what the rules then decide, not only by the test that the index is in step.
        _run([KETENCHECK, "policy", "index", "--policies", str(pack)])
        if _run([OPA, "test", "--timeout", "120s", str(pack)]) != 0:
            return "killed"
        env = {**os.environ, "KETENCHECK_POLICIES": str(pack), "CI": "true"}
        if _run([PYTEST, *END_TO_END], env=env) != 0:
            return "killed"
        return "survived"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="judge a deterministic sample of N mutants (0: all)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args(argv)
    mutants = _rego_mutants() + _catalogue_mutants()
    if args.limit and len(mutants) > args.limit:
        mutants = sorted(random.Random(20261128).sample(mutants, args.limit), key=Mutant.describe)  # noqa: S311
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        verdicts = list(pool.map(judge, mutants))
    counted = [(m, v) for m, v in zip(mutants, verdicts, strict=True) if v != "stillborn"]
    killed = sum(1 for _, v in counted if v == "killed")
    survivors = [m for m, v in counted if v == "survived"]
    stillborn = len(mutants) - len(counted)
    rate = killed / len(counted) if counted else 1.0
    print(
        f"mutants: {len(mutants)} ({stillborn} stillborn, not counted); killed {killed} of {len(counted)}: {rate:.1%}"
    )
    for kind in sorted({m.kind for m in mutants}):
        of_kind = [(m, v) for m, v in counted if m.kind == kind]
        if of_kind:
            print(f"  {kind}: {sum(1 for _, v in of_kind if v == 'killed')}/{len(of_kind)} killed")
    if survivors:
        print("surviving mutants:")
        for mutant in survivors:
            print(f"  {mutant.describe()}")
    return 0 if rate >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())
