"""The pack's generated catalogue index (catalogue/index/data.json): in step with the catalogue, or rebuilt.

The rules read the index instead of rebuilding it on every query (docs/performance.md). An index that no longer
matches the catalogue would have every flow judged by another catalogue than the one a person edited and
reviewed, so each pack ketencheck evaluates from a directory is checked: the index records a digest of the
files it is built from, and a copy whose digest differs gets its index rebuilt by the pack's own Rego.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from checker import _subprocess
from checker.errors import EngineFailed, EngineOutputError
from checker.i18n import _

ROOT_PACKAGE = "ketencheck"
INDEX = Path(ROOT_PACKAGE) / "catalogue" / "index" / "data.json"
BUILDER = Path(ROOT_PACKAGE) / "lib" / "index.rego"
# What the builder imports: the retention maximum in days (index.max_days) is parsed by lib/duration.rego.
BUILDER_IMPORTS = (Path(ROOT_PACKAGE) / "lib" / "duration.rego",)


def sources_digest(policies: Path) -> str:
    """sha256 of what the index is built from: every catalogue file but the index, the builder and its imports."""
    digest = hashlib.sha256()
    catalogue = policies / ROOT_PACKAGE / "catalogue"
    index_dir = (policies / INDEX).parent
    sources = sorted(
        p for p in catalogue.rglob("*") if p.is_file() and p.suffix in (".yaml", ".json") and index_dir not in p.parents
    )
    for path in [*sources, policies / BUILDER, *(policies / p for p in BUILDER_IMPORTS)]:
        if path.is_file():
            digest.update(path.relative_to(policies).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return f"sha256:{digest.hexdigest()}"


def uses_index(policies: Path) -> bool:
    """Whether the pack's rules read a generated index (packs before 1.1 did not)."""
    return (policies / BUILDER).is_file()


def in_step(policies: Path) -> bool:
    """Whether the index records the digest of the catalogue as it is now."""
    try:
        recorded = json.loads((policies / INDEX).read_text(encoding="utf-8")).get("sources")
    except (OSError, ValueError, AttributeError):
        return False
    return bool(recorded == sources_digest(policies))


def build(opa: str, policies: Path, timeout: float) -> dict[str, Any]:
    """The index of the pack in policies, built by its own Rego (data.ketencheck.lib.index.build)."""
    args = [
        opa, "eval", "--format=raw", "--data", str(policies), "--ignore", "*_test.rego", "--ignore", "index",
        "--ignore", ".manifest", "data.ketencheck.lib.index.build",
    ]  # fmt: skip
    done = _subprocess.run(args, timeout=timeout)
    if done.returncode != 0:
        raise EngineFailed(
            _("opa could not build the catalogue index: {output}").format(output=_subprocess.tail(done.stderr))
        )
    try:
        index = json.loads(done.stdout)
    except ValueError as exc:
        raise EngineOutputError(_("opa built no catalogue index (is lib/index.rego in the pack?)")) from exc
    if not isinstance(index, dict):
        raise EngineOutputError(_("opa built a catalogue index that is not an object"))
    return {**index, "sources": sources_digest(policies)}


def write(opa: str, policies: Path, timeout: float) -> Path:
    """Rebuild the index file in policies; its path. The layout is the one the repository keeps (sorted, indent 1)."""
    target = policies / INDEX
    text = json.dumps(build(opa, policies, timeout), sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def refresh(opa: str | None, policies: Path, timeout: float) -> bool:
    """Rebuild a stale index of a staged copy in place; True when it was rebuilt."""
    if not uses_index(policies) or in_step(policies):
        return False
    if opa is None:
        raise EngineFailed(
            _(
                "the catalogue index of {policies} is out of step with its catalogue; rebuild it with "
                "`ketencheck policy index --policies DIR`"
            ).format(policies=policies)
        )
    write(opa, policies, timeout)
    return True
