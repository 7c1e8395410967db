"""`ketencheck explain` on the real opa, the rule listing from `opa inspect`, and the YAML snippets."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from checker.engine.opa_cli import OpaCliEngine
from checker.resources import policies_dir
from checker.snippet import flow_yaml, scalar
from tests.conftest import INTEGRAL, LAWFUL, run_cli, write


@pytest.mark.opa
def test_every_rule_directory_has_a_rule_with_metadata(opa_binary: str) -> None:
    rules = OpaCliEngine(opa_binary).rules()
    on_disk = {p.name for kind in ("rules", "chain") for p in (policies_dir() / "ketencheck" / kind).iterdir()}
    assert {r.name for r in rules} == on_disk
    for rule in rules:
        assert rule.title and rule.description and rule.legal_refs, rule.name
        assert rule.file == f"ketencheck/{'rules' if rule.scope == 'flow' else 'chain'}/{rule.name}/{rule.name}.rego"
    assert {r.name for r in rules if r.scope == "chain"} == {
        "provenance",
        "aggregation_purpose_separation",
        "aggregation_recreates_special",
    }


@pytest.mark.opa
def test_explain_the_seed(golden: Callable[[str, str], None], opa_binary: str) -> None:
    done = run_cli("explain", "--today", "2026-11-28", "ind-coa-afwijzing-integraal", "examples/")
    assert done.returncode == 1, done.stderr
    golden("explain.text", done.stdout)


@pytest.mark.opa
def test_explain_as_json_names_rules_rows_and_a_pasteable_alternative(opa_binary: str) -> None:
    done = run_cli("explain", "--format", "json", "coa-gemeente-signaal", "examples/")
    assert done.returncode == 1
    document = json.loads(done.stdout)
    fired = {r["rule"] for r in document["rules"] if r["fired"]}
    assert fired == {"field_not_needed", "provenance", "special_category_data"}
    assert len(document["rules"]) == 18
    assert [r["id"] for r in document["rows"]] == ["gemeente-huisvesting"]
    (alternative,) = document["alternatives"]
    assert alternative["fields"] == ["v_nummer", "naam"]


@pytest.mark.opa
def test_the_alternative_is_lawful_when_pasted_back(tmp_path: Path, opa_binary: str) -> None:
    done = run_cli("explain", "ind-coa-integraal", str(write(tmp_path, "a.flow.yaml", INTEGRAL)))
    snippet = done.stdout.split("lawful alternative:\n")[1]
    fixed = write(tmp_path, "fixed.flow.yaml", "version: 1\nflows:\n" + snippet)
    again = run_cli("check", "--fail-on", "warning", str(fixed))
    assert again.returncode == 0, again.stdout


@pytest.mark.opa
def test_explain_an_allowed_flow_exits_0(tmp_path: Path, opa_binary: str) -> None:
    done = run_cli("explain", "ind-coa-einde-opvang", str(write(tmp_path, "a.flow.yaml", LAWFUL)))
    assert done.returncode == 0
    assert done.stdout.startswith("flow ind-coa-einde-opvang  (")
    assert "rules evaluated: 18, fired: 0" in done.stdout


def test_explain_an_unknown_flow_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli("explain", "nope", str(write(tmp_path, "a.flow.yaml", LAWFUL)))
    assert done.returncode == 2
    assert "no valid flow with id 'nope'" in done.stderr


@pytest.mark.opa
def test_explain_with_broken_files_beside_it_never_exits_0(tmp_path: Path, opa_binary: str) -> None:
    write(tmp_path, "a.flow.yaml", LAWFUL)
    write(tmp_path, "b.flow.yaml", "version: 1\nflows: [")
    done = run_cli("explain", "ind-coa-einde-opvang", str(tmp_path))
    assert done.returncode == 2
    assert "input error" in done.stderr


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("einde_opvang", "einde_opvang"),
        ("P4W", "P4W"),
        ("2026-12-31", '"2026-12-31"'),
        ("yes", '"yes"'),
        ("Statusgegevens: na afwijzing", '"Statusgegevens: na afwijzing"'),
        (2500, "2500"),
    ],
)
def test_scalars_read_back_as_written(value: object, text: str) -> None:
    assert scalar(value) == text
    assert yaml.safe_load(f"k: {text}")["k"] == value


def test_a_flow_snippet_is_valid_yaml_in_contract_order() -> None:
    flow = {"purpose": "einde_opvang", "id": "x", "fields": ["v_nummer", "naam"], "extra": 1, "from": "IND"}
    text = flow_yaml(flow)
    assert text == "- id: x\n  from: IND\n  fields: [v_nummer, naam]\n  purpose: einde_opvang\n  extra: 1\n"
    assert yaml.safe_load(text) == [flow]
