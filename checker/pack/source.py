"""A side of `policy diff` (or the pack of `exposure` and `verify`) as a policy directory opa can read.

A side is a pack directory, a bundle (verified with its key, then unpacked) or a git revision of the policies
directory (`git archive`, no network). Whatever the side, the analysis Rego of this installation
(policies/ketencheck/analysis) is laid over it, so that both sides of a diff are analysed by one definition and
an older pack without the analysis can be compared; the rules, the catalogue and the invariants stay the side's.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from checker import _subprocess
from checker import bundle as bundles
from checker.errors import EngineNotFound, InputError
from checker.i18n import _
from checker.resources import policies_dir

ANALYSIS = Path("ketencheck") / "analysis"
_GIT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Side:
    """One pack to analyse: what the user named, and the directory opa reads."""

    label: str
    """As named on the command line, for the report."""
    directory: Path


class Workspace:
    """Temporary copies of the packs of one command, removed on close."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="ketencheck-pack-")
        self._count = 0

    def close(self) -> None:
        """Remove every copy."""
        self._tmp.cleanup()

    def _fresh(self) -> Path:
        self._count += 1
        path = Path(self._tmp.name) / str(self._count)
        path.mkdir()
        return path

    def directory(self, label: str, directory: Path) -> Side:
        """A pack directory; copied only when it lacks this installation's analysis."""
        if not (directory / "ketencheck").is_dir():
            raise InputError(_("{pack}: not a policy pack (no ketencheck/ directory)").format(pack=label))
        if _same_analysis(directory):
            return Side(label, directory)
        copy = self._fresh() / "policies"
        shutil.copytree(directory, copy, ignore=shutil.ignore_patterns("*_test.rego"))
        _overlay(copy)
        return Side(label, copy)

    def bundle(self, opa: str, label: str, path: Path, key: Path | None, timeout: float) -> Side:
        """A signed bundle: verified against the key (ketencheck runs no unsigned bundle), then unpacked."""
        if key is None:
            raise InputError(
                _("{pack}: a bundle needs --verification-key: ketencheck does not run unsigned bundles").format(
                    pack=label
                )
            )
        private = self._fresh()
        verified = bundles.verify_into(opa, path, key, private, timeout)
        raw = private / "raw"
        with tarfile.open(verified, "r:gz") as archive:
            _extract(archive, raw, label)
        return self.directory(label, _unbundle(raw, private / "policies", label))

    def revision(self, label: str, revision: str, policies: Path) -> Side:
        """The policies directory as it was at a git revision of its repository."""
        if revision.startswith("-") or not revision.strip():
            raise InputError(_("{revision} is not a git revision").format(revision=repr(revision)))
        top = _git(policies, "rev-parse", "--show-toplevel").strip()
        prefix = _git(policies, "rev-parse", "--show-prefix").strip()
        commit = _git(policies, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").strip()
        data = _git_bytes(Path(top), "archive", "--format=tar", commit, "--", prefix or ".")
        target = self._fresh()
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
            _extract(archive, target, label)
        return self.directory(f"{label} ({commit[:12]})", target / prefix)


def resolve(workspace: Workspace, opa: str, name: str, policies: Path | None, key: Path | None, timeout: float) -> Side:
    """A side named on the command line: a pack directory, a bundle file, or a git revision of `policies`."""
    path = Path(name)
    if path.is_dir():
        return workspace.directory(name, path)
    if path.is_file():
        return workspace.bundle(opa, name, path, key, timeout)
    try:
        return workspace.revision(name, name, policies or policies_dir())
    except InputError as exc:
        raise InputError(
            _("{name}: neither a pack directory, a bundle nor a git revision ({problem})").format(
                name=name, problem=exc
            )
        ) from exc


_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)


def _unbundle(raw: Path, pack: Path, label: str) -> Path:
    """A bundle's files as a pack directory: opa build keeps the paths the modules were built from (absolute, of
    a temporary directory) and merges the data into one data.json at the root, so the modules are gathered by
    package and the data is laid out under ketencheck/ again (one data.json per top-level key), where the engine
    reads a pack's data. The bundle's own analysis gives way to this installation's."""
    data = raw / "data.json"
    if not data.is_file():
        raise InputError(_("{pack}: not a policy bundle (no data.json)").format(pack=label))
    (pack / "ketencheck" / "bundle").mkdir(parents=True)
    try:
        tree = json.loads(data.read_text(encoding="utf-8")).get("ketencheck", {})
    except (ValueError, AttributeError) as exc:
        raise InputError(_("{pack}: the bundle's data.json is not a JSON object").format(pack=label)) from exc
    for key, value in tree.items():
        (pack / "ketencheck" / key).mkdir(parents=True, exist_ok=True)
        (pack / "ketencheck" / key / "data.json").write_text(json.dumps(value), encoding="utf-8")
    modules = sorted(p for p in raw.rglob("*.rego") if p.is_file())
    for n, module in enumerate(modules):
        found = _PACKAGE.search(module.read_text(encoding="utf-8", errors="replace"))
        if found is None or found.group(1).startswith("ketencheck.analysis"):
            continue
        shutil.copyfile(module, pack / "ketencheck" / "bundle" / f"{n:04d}-{module.name}")
    return pack


def _same_analysis(directory: Path) -> bool:
    ours, theirs = policies_dir() / ANALYSIS, directory / ANALYSIS
    if not theirs.is_dir():
        return False
    if ours.resolve() == theirs.resolve():
        return True
    return _rego_files(ours) == _rego_files(theirs)


def _rego_files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*.rego")
        if not p.name.endswith("_test.rego")
    }


def _overlay(pack: Path) -> None:
    target = pack / ANALYSIS
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(policies_dir() / ANALYSIS, target, ignore=shutil.ignore_patterns("*_test.rego"))


def _extract(archive: tarfile.TarFile, target: Path, label: str) -> None:
    # The "data" filter refuses absolute paths, links out of the target and device files: a revision or bundle
    # under review is not trusted to write outside its copy.
    try:
        archive.extractall(target, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise InputError(_("{pack}: cannot unpack: {problem}").format(pack=label, problem=exc)) from exc


def _git(cwd: Path, *args: str) -> str:
    return _git_bytes(cwd, *args).decode("utf-8", "replace")


def _git_bytes(cwd: Path, *args: str) -> bytes:
    try:
        done = _subprocess.run(["git", "-C", str(cwd), *args], timeout=_GIT_TIMEOUT)
    except EngineNotFound as exc:
        raise InputError(_("git not found: a revision cannot be read without it")) from exc
    if done.returncode != 0:
        raise InputError(
            _("git {command} failed: {output}").format(
                command=args[0], output=_subprocess.tail(done.stderr) if done.stderr else _("unknown revision")
            )
        )
    return done.stdout
