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
from checker.pack.verify import witness_yaml
from tests.conftest import GEMEENTE_AND_COA, ROOT, report_json, run_cli, write

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
    assert (
        "exempt    biometric_ground: rows advocaat-dossier (ADVOCAAT), nidos-voogdij (NIDOS), rechter-dossier"
        in done.stdout
    )


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


def test_exposure_refuses_an_unknown_partner_and_says_nothing_for_one_without_a_row() -> None:
    done = run_cli("policy", "exposure", "--partner", "CIA")
    assert done.returncode == 2
    assert "CIA: not a partner of this pack" in done.stderr
    nothing = run_cli("policy", "exposure", "--partner", "GGD")
    assert nothing.returncode == 0, nothing.stderr
    assert nothing.stdout.splitlines()[2:] == ["(nothing)"]


def test_the_fg_page_quotes_the_current_output() -> None:
    page = (ROOT / "docs" / "policy-analysis.md").read_text(encoding="utf-8")
    assert run_cli("policy", "verify").stdout in page
    assert run_cli("policy", "exposure", "--partner", "COA").stdout in page


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
        GEMEENTE_AND_COA,
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
    assert {
        "kind": "widening",
        "area": "matrix",
        "subject": "COA · beschikking_afwijzend · einde_opvang",
        "text": "integral instead of extract",
    } in changes
    assert any(c["area"] == "invariant" and c["text"].startswith("now violated: COA") for c in changes)
    unknown = run_cli("policy", "diff", "no-such-revision", "--policies", str(pack))
    assert unknown.returncode == 2
    assert "neither a pack directory, a bundle nor a git revision" in unknown.stderr


def test_a_bundle_side_needs_its_verification_key(tmp_path: Path) -> None:
    bundle = write(tmp_path, "pack.tar.gz", b"not a bundle")
    done = run_cli("policy", "diff", str(bundle), "policies")
    assert done.returncode == 2
    assert "--verification-key" in done.stderr


# Every widening of each kind, seeded into copies of the pack, is reported. Widenings of one kind go into one copy,
# each in its own cell (or field, or basis), so that each must be reported on its own: (subject, text) pairs.
Seeded = tuple[str, Callable[[Path], None], list[tuple[str, str]]]


def _yaml(pack: Path, section: str) -> tuple[Path, Any]:
    path = pack / "ketencheck/catalogue" / section / "data.yaml"
    return path, yaml.safe_load(path.read_text(encoding="utf-8"))


def _seeded(base: analysis.Analysis) -> list[Seeded]:
    _, matrix = _yaml(POLICIES, "matrix")
    _, documents = _yaml(POLICIES, "documents")
    _, fields = _yaml(POLICIES, "fields")
    _, bases = _yaml(POLICIES, "legal_bases")
    rows = matrix["rows"]

    def cells(row: dict[str, Any]) -> list[str]:
        docs = list(documents) if row["documents"] == ["*"] else row["documents"]
        return [f"{r} · {d} · {row['purpose']}" for r in row["recipients"] for d in docs]

    def on_rows(change: Callable[[list[dict[str, Any]]], None]) -> Callable[[Path], None]:
        def apply(pack: Path) -> None:
            path, data = _yaml(pack, "matrix")
            change(data["rows"])
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

        return apply

    def on_catalogue(section: str, key: str, values: dict[str, Any]) -> Callable[[Path], None]:
        def apply(pack: Path) -> None:
            path, data = _yaml(pack, section)
            for entry, value in values.items():
                data[entry][key] = value
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

        return apply

    extracts = [i for i, row in enumerate(rows) if row["form"] == "extract"]
    extra = {i: sorted(set(documents[rows[i]["documents"][0]]["fields"]) - set(rows[i]["fields"]))[0] for i in extracts}
    seeded: list[Seeded] = [
        (
            "integral instead of extract",
            on_rows(lambda r: [r[i].update(form="integral") for i in extracts]),
            [(c, "integral instead of extract") for i in extracts for c in cells(rows[i])],
        ),
        (
            "a field more",
            on_rows(lambda r: [r[i]["fields"].append(extra[i]) for i in extracts]),
            [(cells(rows[i])[0], f"admits more fields: {extra[i]}") for i in extracts],
        ),
        (
            "a new row",
            on_rows(
                lambda r: r.extend(
                    {
                        "id": f"new-{p}",
                        "recipients": [p],
                        "documents": ["nader_gehoor"],
                        "purpose": "opvang",
                        "form": "extract",
                        "fields": ["v_nummer"],
                        "bases": ["avg_6_1_c"],
                    }
                    for p in ("GGD", "VWN", "COA")
                )
            ),
            [(f"{p} · nader_gehoor · opvang", "new row") for p in ("GGD", "VWN", "COA")],
        ),
        (
            "no channel",
            on_rows(lambda r: [row.pop("channel", None) for row in r]),
            [(c, "no longer prescribes channel") for row in rows if "channel" in row for c in cells(row)],
        ),
    ]
    # A basis no longer required: the n-th basis each row requires for some field, removed from every row at once.
    required = [
        [b for b in row["bases"] if any(a.row == row["id"] and b in a.bases for a in base.admissions)] for row in rows
    ]
    for n in range(max(len(r) for r in required)):
        dropped = {i: r[n] for i, r in enumerate(required) if len(r) > n}
        seeded.append(
            (
                f"required basis {n + 1} removed",
                on_rows(lambda r, d=dropped: [r[i]["bases"].remove(b) for i, b in d.items()]),
                [(_cell_of(base, rows[i]["id"]), f"no longer requires {b}") for i, b in dropped.items()],
            )
        )
    general = sorted(b for b, v in bases.items() if v["kind"] == "general" and any(b in row["bases"] for row in rows))
    seeded.append(
        (
            "a general basis required only with special data",
            on_catalogue("legal_bases", "kind", dict.fromkeys(general, "special")),
            [("", f"no longer requires {b}") for b in general],
        )
    )
    sensitive = sorted(f for f, v in fields.items() if v["category"] != "ordinary")
    seeded.append(
        (
            "a field declassified",
            on_catalogue("fields", "category", dict.fromkeys(sensitive, "ordinary")),
            [(f, "category ordinary instead of") for f in sensitive],
        )
    )
    return seeded


def _cell_of(base: analysis.Analysis, row: str) -> str:
    # A cell of the row with an admission (a row's other cells may admit no field that needs the basis).
    return sorted(" · ".join((a.recipient, a.document, a.purpose)) for a in base.admissions if a.row == row)[0]


def test_diff_reports_every_seeded_widening(tmp_path: Path, opa_binary: str) -> None:
    base = analysis.run(OpaCliEngine(opa_binary, POLICIES), diff=True)
    seeded = _seeded(base)

    def judge(numbered: tuple[int, Seeded]) -> list[str]:
        n, (name, apply, expected) = numbered
        pack = tmp_path / f"m{n}"
        shutil.copytree(POLICIES, pack, ignore=shutil.ignore_patterns("*_test.rego"))
        apply(pack)
        result = diff.between("base", name, base, analysis.run(OpaCliEngine(opa_binary, pack), diff=True))
        widenings = result.of_kind(diff.WIDENING)
        return [
            f"{name}: {subject} {text}"
            for subject, text in expected
            if not any(subject in c.subject and text in c.text for c in widenings)
        ]

    with ThreadPoolExecutor(max_workers=2) as pool:
        missed = [m for found in pool.map(judge, enumerate(seeded)) for m in found]
    total = sum(len(e) for _, _, e in seeded)
    assert missed == [], f"{len(missed)} of {total} seeded widenings not reported"
    assert total > 150


def test_a_narrowing_is_reported_and_does_not_fail(tmp_path: Path) -> None:
    head = _copy(tmp_path, "narrow")
    _edit(head, MATRIX, GEMEENTE_HUISVESTING, GEMEENTE_HUISVESTING.replace(", vergunning_geldigheid]", "]"))
    done = run_cli("policy", "diff", "policies", str(head))
    assert done.returncode == 0, done.stderr
    assert "admits fewer fields: vergunning_geldigheid" in done.stdout
    assert "0 widenings, 1 narrowing" in done.stdout


def test_a_signed_bundle_is_verified_and_compared(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    priv = write(
        tmp_path,
        "priv.pem",
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode(),
    )
    pub = write(
        tmp_path,
        "pub.pem",
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode(),
    )
    bundle = tmp_path / "pack.tar.gz"
    assert run_cli("policy", "build", "--out", str(bundle), "--signing-key", str(priv)).returncode == 0
    verified = run_cli("policy", "verify", "--bundle", str(bundle), "--verification-key", str(pub))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    same = run_cli("policy", "diff", str(bundle), "policies", "--verification-key", str(pub), "--format", "json")
    assert same.returncode == 0, same.stderr
    assert json.loads(same.stdout)["changes"] == []
    widened = run_cli("policy", "diff", str(bundle), str(_coa_integral(tmp_path)), "--verification-key", str(pub))
    assert widened.returncode == 1, widened.stderr
    assert "integral instead of extract" in widened.stdout
    tampered = tmp_path / "tampered.tar.gz"
    tampered.write_bytes(bundle.read_bytes()[:-40] + b"\0" * 40)
    refused = run_cli("policy", "diff", str(tampered), "policies", "--verification-key", str(pub))
    assert refused.returncode in (2, 3)
