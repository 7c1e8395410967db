"""The names of the catalogue's ids (catalogue/labels): every id has a Dutch and an English name, and no name
belongs to an id the catalogue does not have."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.engine.opa_cli import OpaCliEngine
from checker.model import Severity
from tests.conftest import ROOT

CATALOGUE = ROOT / "policies" / "ketencheck" / "catalogue"
LABELS_FILE = CATALOGUE / "labels" / "data.yaml"


def _load(part: str) -> Any:
    return yaml.safe_load((CATALOGUE / part / "data.yaml").read_text(encoding="utf-8"))


def _channels() -> set[str]:
    # Channels are free ids in a flow: those the matrix prescribes, and those the examples show a reader.
    prescribed = {row["channel"] for row in _load("matrix")["rows"] if "channel" in row}
    used = {
        flow["channel"]
        for path in sorted((ROOT / "examples").rglob("*.flow.yaml"))
        for flow in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("flows", [])
        if isinstance(flow, dict) and "channel" in flow
    }
    return prescribed | used


def _ids() -> dict[str, set[str]]:
    """Every id of every kind the labels name, from the catalogue itself (and the schema, for the form)."""
    fields = _load("fields")
    bases = _load("legal_bases")
    schema = json.loads((ROOT / "schemas" / "flowfile.json").read_text(encoding="utf-8"))
    return {
        "partners": set(_load("partners")),
        "documents": set(_load("documents")),
        "fields": set(fields),
        "purposes": set(_load("purposes")),
        "legal_bases": set(bases),
        "forms": set(schema["$defs"]["flow"]["properties"]["form"]["enum"]),
        "channels": _channels(),
        "categories": {field["category"] for field in fields.values()},
        "severities": {severity.value for severity in Severity},
        "basis_kinds": {basis["kind"] for basis in bases.values()}
        | {"general", "special", "criminal", "special_or_criminal", "biometric"},
    }


LABELS: dict[str, dict[str, dict[str, str]]] = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))


def test_the_labels_have_every_kind_and_no_other() -> None:
    assert set(LABELS) == set(_ids())


@pytest.mark.parametrize("kind", sorted(_ids()))
def test_every_id_has_a_dutch_and_an_english_name(kind: str) -> None:
    named = LABELS.get(kind, {})
    missing = sorted(_ids()[kind] - set(named))
    assert not missing, f"{kind}: no names for {missing} in {LABELS_FILE.relative_to(ROOT)}"
    for ident, names in named.items():
        # A document also gives its Dutch article: a Dutch sentence names it as "de/het <name>".
        keys = {"nl", "nl_article", "en"} if kind == "documents" else {"nl", "en"}
        assert isinstance(names, dict) and set(names) == keys, f"{kind}.{ident}: give exactly {sorted(keys)}"
        if kind == "documents":
            assert names["nl_article"] in ("de", "het"), f"{kind}.{ident}: nl_article is de or het"
        assert all(isinstance(n, str) and n.strip() == n and n for n in names.values()), f"{kind}.{ident}: {names}"


@pytest.mark.parametrize("kind", sorted(_ids()))
def test_no_name_belongs_to_an_id_the_catalogue_does_not_have(kind: str) -> None:
    unknown = sorted(set(LABELS.get(kind, {})) - _ids()[kind])
    assert not unknown, f"{kind}: names for ids the catalogue does not have: {unknown}"


def test_the_check_can_fail_on_a_missing_or_a_stray_name() -> None:
    # The two tests above read the shipped file; the same comparison on an edited copy finds both mistakes.
    edited = {kind: dict(named) for kind, named in LABELS.items()}
    del edited["documents"]["beschikking_toewijzend"]
    edited["fields"]["no_such_field"] = {"nl": "x", "en": "x"}
    assert _ids()["documents"] - set(edited["documents"]) == {"beschikking_toewijzend"}
    assert set(edited["fields"]) - _ids()["fields"] == {"no_such_field"}


def test_dutch_names_read_as_the_chain_writes_them() -> None:
    assert LABELS["documents"]["beschikking_toewijzend"]["nl"] == "toewijzende beschikking"
    assert LABELS["fields"]["asielmotief"]["nl"] == "asielmotief"
    assert LABELS["partners"]["DTV"]["nl"] == "DT&V"
    assert LABELS["partners"]["GEMEENTE"]["nl"] == "gemeente"
    assert LABELS["severities"]["error"]["nl"] == "fout"


def test_the_labels_file_says_what_it_is_and_how_to_edit_it() -> None:
    head = LABELS_FILE.read_text(encoding="utf-8").split("\npartners:", 1)[0]
    assert head.startswith("# Names for the ids of the catalogue")
    assert "How to edit" in head and "tests/test_labels.py" in head


@pytest.mark.opa
def test_the_engine_loads_the_labels_with_the_catalogue(opa_binary: str, tmp_path: Path) -> None:
    catalogue = OpaCliEngine(opa_binary).catalogue()
    assert catalogue["labels"]["documents"]["beschikking_toewijzend"] == {
        "nl": "toewijzende beschikking",
        "nl_article": "de",
        "en": "decision granting the application",
    }
