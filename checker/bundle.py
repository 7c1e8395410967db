"""Policy bundles: build (optionally signed) from the pack, verify a signed one before it is used.

The revision of a pack is its version plus a digest of its files, so a report can say exactly which rules
and catalogue produced it, whether they came from a directory or a bundle.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from checker import _subprocess, pack_index
from checker.errors import EngineFailed
from checker.i18n import _

ROOT_PACKAGE = "ketencheck"


def _pack_files(policies: Path) -> list[Path]:
    # What a bundle holds: the pack's Rego and data, never its tests.
    return sorted(
        p
        for p in (policies / ROOT_PACKAGE).rglob("*")
        if p.is_file() and p.suffix in (".rego", ".yaml", ".json") and not p.name.endswith("_test.rego")
    )


def revision(policies: Path) -> str:
    """The pack's version and a digest of every policy and data file: "1.0.0+3f2a9c1d0b4e"."""
    return _revision(_snapshot(policies))


def _snapshot(policies: Path) -> dict[str, bytes]:
    # The pack's files by their path in the bundle, in the order the digest takes them.
    return {path.relative_to(policies).as_posix(): path.read_bytes() for path in _pack_files(policies)}


def _revision(files: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name, data in files.items():
        digest.update(name.encode() + b"\0" + data + b"\0")
    return f"{_version_of(files.get(f'{ROOT_PACKAGE}/catalogue/pack/data.yaml'))}+{digest.hexdigest()[:12]}"


def stage_archive(
    policies: Path,
    directory: Path,
    approved: Mapping[str, Any] | None = None,
    opa: str | None = None,
    timeout: float = 60.0,
) -> tuple[Path, str]:
    """What stage does, into one gzipped tar in directory when the catalogue index is in step: the bundle and its
    revision.

    A bundle directory costs a file and a directory created per pack file, about 70, each 0.2-0.8 ms on the disks
    ketencheck was measured on; this is one file. The pack is read once into memory, the revision and the archive
    are made from those bytes. That the index is in step is asked of the directory, which is then read again: if a
    file changed meanwhile, or the index needs rebuilding, the pack is staged as a directory as before.
    """
    files = _snapshot(policies)
    if pack_index.uses_index(policies) and not (pack_index.in_step(policies) and _snapshot(policies) == files):
        staged = directory / "pack"
        return staged, stage(policies, staged, approved, opa=opa, timeout=timeout)
    rev, extras = _bundle_files(_revision(files), approved, "ketencheck")
    files = {**files, **extras}
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in files.items():
            member = tarfile.TarInfo("/" + name)
            member.size = len(data)
            member.mode = 0o644
            archive.addfile(member, io.BytesIO(data))
    target = directory / "pack.tar.gz"
    # Level 1: the archive is read once, by opa, straight after; 300 KB of text compress in about a millisecond.
    target.write_bytes(gzip.compress(tar.getvalue(), compresslevel=1, mtime=0))
    return target, rev


def stage(
    policies: Path,
    directory: Path,
    approved: Mapping[str, Any] | None = None,
    built_by: str = "ketencheck",
    opa: str | None = None,
    timeout: float = 60.0,
) -> str:
    """Copy the pack's files into directory as a bundle directory with a manifest; the revision it records.

    The revision is computed from the bytes copied, so it names exactly what opa then evaluates from the copy:
    not a later state of the directory, and no file opa would read but the digest leaves out. With approved
    flows (data.ketencheck.approved, for the decision API), the revision also names their digest: the same rules
    with other approved flows decide differently, and a decision log must say which. A catalogue index that is
    out of step with the copied catalogue (edited, not regenerated) is rebuilt in the copy, never in policies:
    the rules would otherwise judge by a catalogue nobody reviewed.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for path in _pack_files(policies):
        target = directory / path.relative_to(policies)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    pack_index.refresh(opa, directory, timeout)
    rev, extras = _bundle_files(revision(directory), approved, built_by)
    for name, data in extras.items():
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_bytes(data)
    return rev


def _bundle_files(
    pack_revision: str, approved: Mapping[str, Any] | None, built_by: str
) -> tuple[str, dict[str, bytes]]:
    # What a bundle adds to the pack's files, by path, and the revision its manifest records (with approved flows,
    # their digest too: stage's docstring says why). One place for both stagings, so they cannot name apart.
    rev = pack_revision
    extras: dict[str, bytes] = {}
    if approved is not None:
        approved_json = json.dumps(approved, sort_keys=True).encode()
        rev += f".approved.{hashlib.sha256(approved_json).hexdigest()[:12]}"
        extras[f"{ROOT_PACKAGE}/approved/data.json"] = approved_json
    manifest = {"revision": rev, "roots": [ROOT_PACKAGE], "metadata": {"built_by": built_by}}
    extras[".manifest"] = json.dumps(manifest).encode()
    return rev, extras


def _version_of(pack: bytes | None) -> str:
    # The version in catalogue/pack/data.yaml.
    if pack is not None:
        loaded = yaml.safe_load(pack.decode("utf-8"))
        if isinstance(loaded, dict):
            return str(loaded.get("version", "unknown"))
    return "unknown"


def build(
    opa: str,
    policies: Path,
    out: Path,
    signing_key: Path | None,
    timeout: float,
    approved: Mapping[str, Any] | None = None,
) -> str:
    """Write an OPA bundle of the pack (roots: ketencheck) to out, signed when a key is given; its revision.

    Approved flows, when given, travel in the bundle as data.ketencheck.approved (see stage)."""
    with tempfile.TemporaryDirectory(prefix="ketencheck-bundle-") as tmp:
        staged = Path(tmp) / "bundle"
        rev = stage(policies, staged, approved, built_by="ketencheck policy build", opa=opa, timeout=timeout)
        # opa names each tar entry by the path it was given: built from inside the staging directory as ".", the
        # entries are /ketencheck/..., not the random temporary path, so the same pack gives the same bytes (opa
        # already writes mtime 0, uid/gid 0, a gzip header without a time, and signs with deterministic RS256).
        args = [opa, "build", "--bundle", ".", "--output", str(out.resolve())]
        if signing_key is not None:
            args += ["--signing-key", str(signing_key.resolve())]
        done = _subprocess.run(args, timeout=timeout, cwd=staged)
        if done.returncode != 0:
            raise EngineFailed(_("opa build failed: {output}").format(output=_subprocess.tail(done.stderr)))
    return rev


def verify_into(opa: str, bundle: Path, verification_key: Path, directory: Path, timeout: float) -> Path:
    """Copy the bundle into a private directory and have opa verify the copy's signature; the copy's path.

    What is verified is what is evaluated: verifying the file in place and then evaluating it would let a swap
    in between go unnoticed.
    """
    if not bundle.is_file():
        raise EngineFailed(_("bundle not found: {bundle}").format(bundle=bundle))
    if not verification_key.is_file():
        raise EngineFailed(_("verification key not found: {key}").format(key=verification_key))
    copy = directory / "bundle.tar.gz"
    shutil.copyfile(bundle, copy)
    args = [
        opa, "build", "--bundle", str(copy), "--verification-key", str(verification_key),
        "--output", str(directory / "verified-rebuild.tar.gz"),
    ]  # fmt: skip
    done = _subprocess.run(args, timeout=timeout)
    if done.returncode != 0:
        # opa build reports a load error on stdout or stderr depending on the kind; take the last line of either.
        lines = (done.stdout + done.stderr).decode("utf-8", "replace").strip().splitlines()
        reason = lines[-1] if lines else _("opa build exited with code {code}").format(code=done.returncode)
        raise EngineFailed(
            _("bundle {bundle} failed signature verification, refusing to use it: {reason}").format(
                bundle=bundle, reason=reason
            )
        )
    return copy
