"""Bundles reproducible byte for byte, and docs/server.md's decision point on 127.0.0.1 as written: a signed
bundle from a local bundle service, no version check, TLS with a certificate made here, and ketencheck
trusting it through REQUESTS_CA_BUNDLE."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import ipaddress
import os
import re
import shutil
import ssl
import subprocess
import tarfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.conftest import KETENCHECK, ROOT, report_json, run_cli
from tests.test_server import DEPLOY, TOKEN, _free_port, _serve

pytestmark = pytest.mark.opa


def _pem_key(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@pytest.fixture(scope="module")
def signing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    directory = tmp_path_factory.mktemp("signing")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (directory / "private.pem").write_bytes(_pem_key(key))
    (directory / "public.pem").write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return directory / "private.pem", directory / "public.pem"


def _build(policies: Path, out: Path, signing_key: Path | None) -> None:
    args = ["policy", "build", "--policies", str(policies), "--out", str(out)]
    done = run_cli(*args, *(["--signing-key", str(signing_key)] if signing_key else []))
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("signed", [True, False], ids=["signed", "unsigned"])
def test_the_same_pack_builds_the_same_bundle_byte_for_byte(
    tmp_path: Path, signing: tuple[Path, Path], signed: bool
) -> None:
    # The same pack in two places, built twice: each build stages it in its own temporary directory.
    first, second = tmp_path / "a" / "policies", tmp_path / "elsewhere" / "b" / "policies"
    shutil.copytree(ROOT / "policies", first)
    shutil.copytree(ROOT / "policies", second)
    os.utime(second / "ketencheck" / "lib" / "result.rego", (1_000_000, 1_000_000))
    key = signing[0] if signed else None
    _build(first, tmp_path / "one.tar.gz", key)
    _build(second, tmp_path / "two.tar.gz", key)
    one, two = (tmp_path / "one.tar.gz").read_bytes(), (tmp_path / "two.tar.gz").read_bytes()
    assert hashlib.sha256(one).hexdigest() == hashlib.sha256(two).hexdigest()
    assert one[4:8] == b"\0\0\0\0", "the gzip header carries a time"
    with tarfile.open(tmp_path / "one.tar.gz") as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    # Entries are named inside the bundle, never after the directory it was built in.
    assert all(
        re.fullmatch(r"/(ketencheck/[a-z0-9_/]+\.rego|data\.json|\.manifest|\.signatures\.json)", n) for n in names
    ), names
    assert not any("tmp" in n or "ketencheck-bundle-" in n for n in names)
    assert all(m.mtime == 0 and m.uid == 0 and m.gid == 0 and m.uname == m.gname == "" for m in members)
    assert (".signatures.json" in " ".join(names)) is signed
    rego = [n for n in names if n.endswith(".rego")]
    assert rego == sorted(rego)
    assert gzip.decompress(one)  # a complete stream


def test_a_rebuilt_signed_bundle_still_verifies(tmp_path: Path, signing: tuple[Path, Path]) -> None:
    _build(ROOT / "policies", tmp_path / "ketencheck.tar.gz", signing[0])
    done = run_cli(
        "check", "--format", "json", "--bundle", str(tmp_path / "ketencheck.tar.gz"),
        "--verification-key", str(signing[1]), "examples/seed",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert report_json(done.stdout)["summary"]["denied"] == 3


# TLS: docs/server.md's server, on 127.0.0.1, with a certificate made for the test.


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A CA, and a server certificate for IP 127.0.0.1 signed by it: (ca.pem, cert.pem, key.pem)."""
    directory = tmp_path_factory.mktemp("tls")
    now = datetime.datetime.now(datetime.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ketencheck test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    (directory / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (directory / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "key.pem").write_bytes(_pem_key(key))
    return directory / "ca.pem", directory / "cert.pem", directory / "key.pem"


def _documented_opa_run() -> list[str]:
    """The `opa run` command of docs/server.md's local walk-through, as arguments (line continuations joined)."""
    text = (ROOT / "docs" / "server.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- local-server -->\n```console\n(.*?)```", text, re.DOTALL)
    assert block is not None, "docs/server.md lost its local walk-through"
    command = next(c for c in block.group(1).replace("\\\n", " ").splitlines() if "opa run" in c)
    words = command.split()
    return [w for w in words[words.index("opa") + 1 :] if w != "&"]


@pytest.fixture(scope="module")
def tls_server(
    opa_binary: str,
    signing: tuple[Path, Path],
    tls: tuple[Path, Path, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """docs/server.md's command, run in a directory laid out as the page says, on a free port."""
    work = tmp_path_factory.mktemp("walkthrough")
    (work / "bundles").mkdir()
    _build(ROOT / "policies", work / "bundles" / "ketencheck.tar.gz", signing[0])
    shutil.copy(signing[1], work / "ketencheck-bundle-public.pem")
    shutil.copy(tls[1], work / "opa-tls-cert.pem")
    shutil.copy(tls[2], work / "opa-tls-key.pem")
    (work / "deploy").symlink_to(DEPLOY.parent)
    port = _free_port()
    args = [a.replace("127.0.0.1:8181", f"127.0.0.1:{port}") for a in _documented_opa_run()]
    log = work / "opa.log"
    with _serve(work / "bundles") as service, log.open("wb") as sink:
        process = subprocess.Popen(  # noqa: S603
            [opa_binary, *args],
            cwd=work,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, "BUNDLE_SERVICE_URL": service, "KETENCHECK_OPA_TOKEN": TOKEN},
        )
        url = f"https://127.0.0.1:{port}"
        context = ssl.create_default_context(cafile=str(tls[0]))
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/health?bundles", timeout=1, context=context) as answer:  # noqa: S310
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"opa did not become healthy: {log.read_text(errors='replace')[-2000:]}")
                time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_the_documented_server_makes_no_outside_call_and_speaks_tls_only() -> None:
    args = _documented_opa_run()
    assert "--skip-version-check" in args  # a government server does not call out to check for updates
    assert "--tls-cert-file" in args and "--tls-private-key-file" in args
    assert any(a.startswith("127.0.0.1:") for a in args)


def test_ketencheck_checks_over_tls_trusting_the_ca_it_is_given(tls_server: str, tls: tuple[Path, Path, Path]) -> None:
    env = {"KETENCHECK_OPA_TOKEN": TOKEN, "REQUESTS_CA_BUNDLE": str(tls[0])}
    done = run_cli("check", "--format", "json", "--engine", "server", "--opa-url", tls_server, "examples/seed", env=env)
    assert done.returncode == 1, done.stderr
    report = report_json(done.stdout)
    assert report["summary"]["denied"] == 3
    assert report["engine"]["source"] == tls_server


def test_an_untrusted_certificate_is_an_engine_error_that_says_how_to_trust_it(tls_server: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    env["KETENCHECK_OPA_TOKEN"] = TOKEN
    done = subprocess.run(
        [str(KETENCHECK), "check", "--engine", "server", "--opa-url", tls_server, "examples/seed"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 3
    assert "TLS certificate is not trusted" in done.stderr
    assert "REQUESTS_CA_BUNDLE" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
