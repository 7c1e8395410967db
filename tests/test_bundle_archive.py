"""The pack staged as one archive: the same revision, files and rules as the staged directory it replaces."""

from __future__ import annotations

import gzip
import io
import shutil
import tarfile
from pathlib import Path

import pytest

from checker import bundle, pack_index
from checker.engine.interface import Request
from checker.engine.opa_cli import OpaCliEngine
from checker.loader import load
from checker.resources import policies_dir
from tests.conftest import ROOT

APPROVED = {"flows": [{"id": "x", "from": "IND", "to": "COA"}]}


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(archive.read_bytes()))) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]


def _tree(directory: Path) -> dict[str, bytes]:
    return {"/" + p.relative_to(directory).as_posix(): p.read_bytes() for p in directory.rglob("*") if p.is_file()}


@pytest.mark.parametrize("approved", [None, APPROVED])
def test_the_archive_holds_what_the_directory_held(tmp_path: Path, approved: dict[str, object] | None) -> None:
    staged = tmp_path / "dir"
    rev = bundle.stage(policies_dir(), staged, approved)
    archive, archived_rev = bundle.stage_archive(policies_dir(), tmp_path, approved)
    assert archive == tmp_path / "pack.tar.gz"
    assert (
        archived_rev
        == rev
        == bundle.revision(policies_dir()) + ("" if approved is None else rev[rev.index(".approved.") :])
    )
    assert _members(archive) == _tree(staged)
    assert not any(name.endswith("_test.rego") for name in _members(archive))


def test_a_stale_index_is_staged_as_a_directory_and_rebuilt(tmp_path: Path, opa_binary: str) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(policies_dir(), pack)
    rows = pack / "ketencheck" / "catalogue" / "matrix" / "data.yaml"
    rows.write_text(rows.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not pack_index.in_step(pack)
    staged, _rev = bundle.stage_archive(pack, tmp_path / "private", opa=opa_binary)
    assert staged == tmp_path / "private" / "pack" and staged.is_dir()
    assert pack_index.in_step(staged)
    assert not pack_index.in_step(pack)  # the user's directory is left as it was


def test_a_pack_that_changes_while_staged_is_staged_as_a_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(policies_dir(), pack)
    rule = pack / "ketencheck" / "rules" / "self_flow" / "self_flow.rego"
    in_step = pack_index.in_step

    def edited_meanwhile(policies: Path) -> bool:
        if policies == pack:  # not the staged copy, which stage() asks too
            rule.write_text(rule.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        return in_step(policies)

    monkeypatch.setattr(pack_index, "in_step", edited_meanwhile)
    staged, rev = bundle.stage_archive(pack, tmp_path / "private")
    assert staged.is_dir()
    assert rev == bundle.revision(staged)
    assert (staged / "ketencheck" / "rules" / "self_flow" / "self_flow.rego").read_bytes() == rule.read_bytes()


@pytest.mark.opa
def test_rules_are_named_by_their_path_in_the_pack(opa_binary: str) -> None:
    engine = OpaCliEngine(opa_binary)
    try:
        files = {rule.file for rule in engine.rules()}
    finally:
        engine.close()
    assert "ketencheck/rules/self_flow/self_flow.rego" in files
    assert all(f.startswith("ketencheck/") for f in files), sorted(files)[:3]


@pytest.mark.opa
def test_the_report_names_the_revision_of_the_archive(opa_binary: str) -> None:
    engine = OpaCliEngine(opa_binary)
    try:
        evaluation = engine.evaluate(Request(load([str(ROOT / "examples" / "seed")]).flows))
    finally:
        engine.close()
    assert evaluation.engine.revision == bundle.revision(policies_dir())
