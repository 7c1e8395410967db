"""`ketencheck policy exposure|verify|diff` on the real opa: what the pack itself allows, its invariants, and what
a change to it widens (issue 17)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.engine.opa_cli import OpaCliEngine
from checker.pack import analysis, diff, exposure
from checker.pack.verify import verify, witness_yaml
from tests.conftest import ROOT, report_json, run_cli, write

pytestmark = pytest.mark.opa

POLICIES = ROOT / "policies"
MATRIX = Path("ketencheck/catalogue/matrix/data.yaml")


@pytest.fixture(autouse=True)
def _needs_opa(opa_binary: str) -> None:
    """Every test here runs the real opa; in CI a missing one fails the run."""


def _copy(tmp_path: Path, name: str = "pack") -> Path:
    pack = tmp_path / name
    shutil.copytree(POLICIES, pack, ignore=shutil.ignore_patterns("*_test.rego"))
    return pack


def _edit(pack: Path, relative: Path, old: str, new: str) -> None:
    path = pack / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


COA_EXTRACT = """    purpose: einde_opvang
    form: extract
    fields: [v_nummer, besluitdatum, rechtmatig_verblijf, verblijfsgrond, vertrektermijn_einddatum, vertrekplicht,
             schorsende_werking, uitstel_vertrek, inreisverbod_geldt, dublin_claimant]
"""
GEMEENTE_HUISVESTING = "    fields: [v_nummer, naam, geboortedatum, gezinssamenstelling, vergunning_geldigheid]\n"


def _coa_integral(tmp_path: Path) -> Path:
    pack = _copy(tmp_path, "coa-integral")
    _edit(pack, MATRIX, COA_EXTRACT, "    purpose: einde_opvang\n    form: integral\n")
    return pack


def test_verify_passes_on_the_shipped_pack() -> None:
    done = run_cli("policy", "verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all 6 invariants hold and every row passes its checks" in done.stdout
    # No exemption is silent: each is printed with its reason.
    assert "exempt    biometric_ground: rows advocaat-dossier (ADVOCAAT), nidos-voogdij (NIDOS), rechter-dossier" in done.stdout


def test_verify_fails_on_an_integral_refusal_to_coa_with_a_witness_that_check_allows(tmp_path: Path) -> None:
    pack = _coa_integral(tmp_path)
    done = run_cli("policy", "verify", "--policies", str(pack))
    assert done.returncode == 1, done.stderr
    assert "VIOLATED  coa_no_special_data_of_decisions_or_hearings" in done.stdout
    assert "COA can hold beschikking_afwijzend: asielmotief, geloofwaardigheidsbeoordeling, motivering" in done.stdout
    # Item 4: the row itself, with the check it breaks.
    assert "BROKEN    special_category_ground: row coa-afwijzing-einde-opvang (COA) admits asielmotief" in done.stdout
    report = json.loads(run_cli("policy", "verify", "--policies", str(pack), "--format", "json").stdout)
    [seed] = [i for i in report["invariants"] if i["id"] == "coa_no_special_data_of_decisions_or_hearings"]
    [violation] = seed["violations"]
    assert violation["witness"] == [
        {
            "id": "witness-coa-beschikking-afwijzend",
            "from": "IND",
            "to": "COA",
            "document": "beschikking_afwijzend",
            "form": "extract",
            "fields": ["asielmotief", "geloofwaardigheidsbeoordeling", "motivering"],
            "purpose": "einde_opvang",
            "legal_basis": ["avg_6_1_c", "vw_107_4", "vv_7_1e"],
        }
    ]
    # Pasted into a flow file, the witness is valid and the widened pack allows it (the shipped pack does not).
    flows = write(tmp_path, "witness.flow.yaml", witness_yaml(tuple(violation["witness"])))
    allowed = run_cli("check", "--format", "json", "--policies", str(pack), str(flows))
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    denied = run_cli("check", "--format", "json", str(flows))
    assert denied.returncode == 1
    assert {f["rule"] for f in report_json(denied.stdout)["flows"][0]["findings"]} >= {"field_not_needed"}


def test_every_witness_of_the_exposure_is_allowed_by_check(tmp_path: Path, opa_binary: str) -> None:
    result = analysis.run(OpaCliEngine(opa_binary, POLICIES))
    flows: list[dict[str, Any]] = []
    for n, group in enumerate(exposure.groups(result)):
        if group.hops:
            flows += analysis.witness_flows(f"w{n}", group.chains)
    assert len(flows) > 90
    path = write(tmp_path, "all.flow.yaml", witness_yaml(tuple(flows)))
    done = run_cli("check", "--format", "json", str(path))
    assert done.returncode == 0, done.stdout[:2000] + done.stderr
    assert report_json(done.stdout)["summary"]["denied"] == 0


def test_exposure_names_a_shortest_chain_per_holding() -> None:
    done = run_cli("policy", "exposure", "--partner", "GEMEENTE")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2:5] == [
        "GEMEENTE",
        "  beschikking_toewijzend: geboortedatum, geslacht, gezinssamenstelling, naam, nationaliteit, "
        "rechtmatig_verblijf, v_nummer, verblijfsgrond, vergunning_geldigheid",
        "      via IND -> GEMEENTE for brp_inschrijving (row gemeente-brp)",
    ]
    document = json.loads(run_cli("policy", "exposure", "--format", "json").stdout)
    assert set(document["partners"]) >= {"IND", "COA", "ADVOCAAT"}
    assert not set(document["partners"]) & {"GGD", "GZA", "VWN"}
    [own] = [g for g in document["partners"]["BMA"] if g["document"] == "medisch_advies"]
    assert own["originates"] and own["via"] == []
    markdown = run_cli("policy", "exposure", "--format", "markdown", "--partner", "BZ").stdout
    assert "| nader\\_gehoor |" not in markdown  # ids are escaped only where Markdown needs it
    assert "| nader_gehoor | asielmotief, naam, nationaliteit, v_nummer | asielmotief |" in markdown


def test_exposure_refuses_an_unknown_partner() -> None:
    done = run_cli("policy", "exposure", "--partner", "CIA")
    assert done.returncode == 2
    assert "CIA" in done.stderr


def test_diff_of_a_pack_with_itself_and_a_reformatted_copy_is_empty(tmp_path: Path) -> None:
    same = run_cli("policy", "diff", str(POLICIES), str(POLICIES))
    assert same.returncode == 0, same.stderr
    assert "0 widenings, 0 narrowings" in same.stdout
    copy = _copy(tmp_path, "reformatted")
    for path in (copy / "ketencheck" / "catalogue").rglob("data.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(_reversed(data), indent=4, width=60, sort_keys=False), encoding="utf-8")
    done = run_cli("policy", "diff", str(POLICIES), str(copy), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["changes"] == []


def _reversed(value: Any) -> Any:
    # Other key order and, for rows and invariants, other list order: the meaning stays.
    if isinstance(value, dict):
        return {k: _reversed(value[k]) for k in reversed(list(value))}
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [_reversed(v) for v in reversed(value)]
    return value


def test_diff_markdown_of_a_widened_gemeente_row_and_the_flows_it_flips(tmp_path: Path) -> None:
    head = _copy(tmp_path, "head")
    _edit(
        head,
        MATRIX,
        GEMEENTE_HUISVESTING,
        GEMEENTE_HUISVESTING.replace("vergunning_geldigheid]", "vergunning_geldigheid, verblijfsgrond_asiel]"),
    )
    flows = write(
        tmp_path,
        "gemeente.flow.yaml",
        """\
version: 1
flows:
  - id: ind-gemeente-huisvesting
    from: IND
    to: GEMEENTE
    document: beschikking_toewijzend
    form: extract
    fields: [v_nummer, naam, verblijfsgrond_asiel]
    purpose: huisvesting_vergunninghouders
    legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e, huisvestingswet_28]
    retention: P6M
  - id: ind-coa-einde-opvang
    from: IND
    to: COA
    document: beschikking_afwijzend
    form: extract
    fields: [v_nummer, rechtmatig_verblijf]
    purpose: einde_opvang
    legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e]
    retention: P4W
""",
    )
    done = run_cli("policy", "diff", "policies", str(head), "--flows", str(flows), "--format", "markdown")
    assert done.returncode == 1, done.stderr
    assert "**2 widenings, 0 narrowings: this change widens what the pack allows**" in done.stdout
    assert (
        "| matrix | GEMEENTE · beschikking\\_toewijzend · huisvesting\\_vergunninghouders | admits more fields: "
        "verblijfsgrond\\_asiel |" in done.stdout
    ) or (
        "| matrix | GEMEENTE · beschikking_toewijzend · huisvesting_vergunninghouders | admits more fields: "
        "verblijfsgrond_asiel |" in done.stdout
    )
    assert re.search(r"\| `ind-gemeente-huisvesting` \| .*gemeente\.flow\.yaml:3 \| deny \| allow \|", done.stdout)
    assert "ind-coa-einde-opvang" not in done.stdout
    allowed = run_cli("policy", "diff", "policies", str(head), "--allow-widening")
    assert allowed.returncode == 0, allowed.stderr


def test_diff_against_a_git_revision_of_the_policies_directory(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    pack = _copy(repo, "policies")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "pack"], check=True)
    _edit(pack, MATRIX, COA_EXTRACT, "    purpose: einde_opvang\n    form: integral\n")
    done = run_cli("policy", "diff", "HEAD", "--policies", str(pack), "--format", "json")
    assert done.returncode == 1, done.stderr
    changes = json.loads(done.stdout)["changes"]
    assert {"kind": "widening", "area": "matrix", "subject": "COA · beschikking_afwijzend · einde_opvang",
            "text": "integral instead of extract"} in changes
    assert any(c["area"] == "invariant" and c["text"].startswith("now violated: COA") for c in changes)
    unknown = run_cli("policy", "diff", "no-such-revision", "--policies", str(pack))
    assert unknown.returncode == 2
    assert "neither a pack directory, a bundle nor a git revision" in unknown.stderr


def test_a_bundle_side_needs_its_verification_key(tmp_path: Path) -> None:
    bundle = write(tmp_path, "pack.tar.gz", b"not a bundle")
    done = run_cli("policy", "diff", str(bundle), "policies")
    assert done.returncode == 2
    assert "--verification-key" in done.stderr


# Every widening of each kind, seeded into a copy of the pack, is reported; narrowings are not widenings.
Mutant = tuple[str, Callable[[Path], None], str]


def _mutants(base: analysis.Analysis) -> list[Mutant]:
    matrix = yaml.safe_load((POLICIES / MATRIX).read_text(encoding="utf-8"))["rows"]
    documents = yaml.safe_load((POLICIES / "ketencheck/catalogue/documents/data.yaml").read_text(encoding="utf-8"))
    fields = yaml.safe_load((POLICIES / "ketencheck/catalogue/fields/data.yaml").read_text(encoding="utf-8"))
    bases = yaml.safe_load((POLICIES / "ketencheck/catalogue/legal_bases/data.yaml").read_text(encoding="utf-8"))
    out: list[Mutant] = []

    def rows(change: Callable[[list[dict[str, Any]]], None]) -> Callable[[Path], None]:
        def apply(pack: Path) -> None:
            data = yaml.safe_load((pack / MATRIX).read_text(encoding="utf-8"))
            change(data["rows"])
            (pack / MATRIX).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

        return apply

    def catalogue(section: str, key: str, entry: str, value: Any) -> Callable[[Path], None]:
        def apply(pack: Path) -> None:
            path = pack / "ketencheck/catalogue" / section / "data.yaml"
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data[key][entry] = value
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

        return apply

    required = {(a.row, b) for a in base.admissions for b in a.bases}
    for i, row in enumerate(matrix):
        if row["form"] == "extract":
            out.append((f"{row['id']} integral", rows(lambda r, i=i: r[i].update(form="integral")), "integral instead"))
            held = set(documents[row["documents"][0]]["fields"]) - set(row["fields"])
            if held:
                extra = sorted(held)[0]
                out.append(
                    (f"{row['id']} + {extra}", rows(lambda r, i=i, x=extra: r[i]["fields"].append(x)), "more fields")
                )
        for basis in row["bases"]:
            if (row["id"], basis) in required:
                out.append(
                    (f"{row['id']} - {basis}", rows(lambda r, i=i, b=basis: r[i]["bases"].remove(b)), "no longer requires")
                )
        if "channel" in row:
            out.append((f"{row['id']} no channel", rows(lambda r, i=i: r[i].pop("channel")), "no longer prescribes"))
    for partner in ("GGD", "VWN", "COA"):
        new = {"id": f"new-{partner}", "recipients": [partner], "documents": ["nader_gehoor"], "purpose": "opvang",
               "form": "extract", "fields": ["v_nummer"], "bases": ["avg_6_1_c"]}
        out.append((f"new row for {partner}", rows(lambda r, n=new: r.append(n)), "new row"))
    for name, field in fields.items():
        if field["category"] in ("special", "criminal", "national_id"):
            out.append((f"{name} ordinary", catalogue("fields", name, "category", "ordinary"), "category ordinary"))
    for name, basis in bases.items():
        if basis["kind"] == "general" and any(name in row["bases"] for row in matrix):
            out.append((f"{name} special", catalogue("legal_bases", name, "kind", "special"), "no longer requires"))
    return out


def _reported(changes: tuple[diff.Change, ...], expected: str) -> bool:
    return any(c.kind == diff.WIDENING and expected in c.text for c in changes)


def test_diff_reports_every_seeded_widening(tmp_path: Path, opa_binary: str) -> None:
    base = analysis.run(OpaCliEngine(opa_binary, POLICIES), diff=True)
    mutants = _mutants(base)
    kinds = {expected for _, _, expected in mutants}
    assert kinds == {"integral instead", "more fields", "no longer requires", "no longer prescribes", "new row",
                     "category ordinary"}

    def judge(numbered: tuple[int, Mutant]) -> str | None:
        n, (name, apply, expected) = numbered
        pack = tmp_path / f"m{n}"
        shutil.copytree(POLICIES, pack, ignore=shutil.ignore_patterns("*_test.rego"))
        apply(pack)
        head = analysis.run(OpaCliEngine(opa_binary, pack), diff=True)
        result = diff.between("base", name, base, head)
        return None if result.widens and _reported(result.changes, expected) else name

    with ThreadPoolExecutor(max_workers=2) as pool:
        missed = [m for m in pool.map(judge, enumerate(mutants)) if m]
    assert missed == [], f"{len(missed)} of {len(mutants)} seeded widenings not reported"
    assert len(mutants) > 80


def test_a_narrowing_is_reported_and_does_not_fail(tmp_path: Path) -> None:
    head = _copy(tmp_path, "narrow")
    _edit(head, MATRIX, GEMEENTE_HUISVESTING, GEMEENTE_HUISVESTING.replace(", vergunning_geldigheid]", "]"))
    done = run_cli("policy", "diff", "policies", str(head))
    assert done.returncode == 0, done.stderr
    assert "admits fewer fields: vergunning_geldigheid" in done.stdout
    assert "0 widenings, 1 narrowing" in done.stdout
