"""The harness's own attack surface: one subprocess wrapper without a shell, no object construction from YAML,
temporary files cleaned, nothing from a flow file opened or executed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli, write

CHECKER = ROOT / "checker"


def _calls(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                names.append(f"{func.value.id}.{func.attr}")
            elif isinstance(func, ast.Name):
                names.append(func.id)
    return names


def test_only_the_subprocess_wrapper_starts_processes_and_never_through_a_shell() -> None:
    for path in CHECKER.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        calls = _calls(tree)
        starts = [c for c in calls if c.startswith(("subprocess.", "os.system", "os.popen", "os.exec", "os.spawn"))]
        if path.name == "_subprocess.py":
            assert starts == ["subprocess.run"], starts
        else:
            assert starts == [], f"{path.relative_to(ROOT)} starts a process itself: {starts}"
        assert "shell=True" not in source, path
        assert not {"eval", "exec", "compile", "__import__"} & set(calls), path


def test_yaml_is_never_constructed_with_a_full_loader() -> None:
    for path in CHECKER.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for unsafe in ("yaml.load(", "yaml.unsafe_load", "FullLoader", "UnsafeLoader", "yaml.Loader", "pickle"):
            assert unsafe not in source, f"{path.relative_to(ROOT)} uses {unsafe}"


@pytest.mark.opa
def test_a_flow_file_cannot_make_ketencheck_open_a_path(tmp_path: Path, opa_binary: str) -> None:
    # Values that look like paths or commands stay data: nothing is read from or written to them.
    canary = tmp_path / "canary"
    flow = (
        "version: 1\nflows:\n  - id: x\n"
        f"    from: {canary}\n    to: $(touch {canary})\n    document: ../../../etc/passwd\n"
        "    form: integral\n    purpose: '`id`'\n    legal_basis: [file:///etc/shadow]\n"
    )
    path = write(tmp_path, "evil.flow.yaml", flow)
    done = run_cli("check", "--format", "json", str(path))
    assert done.returncode == 1  # unknown references: denied, as data
    assert not canary.exists()
    assert "root:" not in done.stdout


@pytest.mark.opa
def test_temporary_files_are_cleaned_up(tmp_path: Path, opa_binary: str) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    key_dir = tmp_path / "keys"
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    priv = write(
        key_dir,
        "priv.pem",
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode(),
    )
    pub = write(
        key_dir,
        "pub.pem",
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode(),
    )
    env = {"TMPDIR": str(scratch)}
    bundle = tmp_path / "bundle.tar.gz"
    assert run_cli("policy", "build", "--out", str(bundle), "--signing-key", str(priv), env=env).returncode == 0
    done = run_cli("check", "--bundle", str(bundle), "--verification-key", str(pub), "examples/seed", env=env)
    assert done.returncode == 1, done.stderr
    assert list(scratch.iterdir()) == []
