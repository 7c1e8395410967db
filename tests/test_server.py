"""The server engine against a real `opa run --server` on 127.0.0.1: token authentication, a signed bundle
pulled from a bundle service, masked decision logs, parity with the local engine, and every way it fails."""

from __future__ import annotations

import functools
import http.server
import io
import json
import os
import re
import socket
import subprocess
import sys
import tarfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from opa_client import OpaClient

from tests.conftest import ROOT, report_json, run_cli, write

pytestmark = pytest.mark.opa

TOKEN = "k3t3nch3ck-test-token"  # noqa: S105 - a throwaway token for a server on 127.0.0.1
DEPLOY = ROOT / "deploy" / "opa"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serve(directory: Path) -> Iterator[str]:
    """A static bundle service: the way a chain would publish signed bundles."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class Opa:
    """A running `opa run --server`, with its log."""

    def __init__(self, process: subprocess.Popen[bytes], url: str, log: Path) -> None:
        self.process, self.url, self.log = process, url, log

    def log_lines(self) -> list[dict[str, Any]]:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@contextmanager
def _opa(opa_binary: str, tmp: Path, args: list[str], env: dict[str, str], wait_for_bundle: bool) -> Iterator[Opa]:
    port = _free_port()
    log = tmp / f"opa-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(  # noqa: S603
            [opa_binary, "run", "--server", "--addr", f"127.0.0.1:{port}", "--log-format", "json", *args],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
        )
    url = f"http://127.0.0.1:{port}"
    health = f"{url}/health" + ("?bundles" if wait_for_bundle else "")
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(health, timeout=1) as response:  # noqa: S310 - 127.0.0.1
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"opa did not become healthy: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        yield Opa(process, url, log)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    directory = tmp_path_factory.mktemp("keys")
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    priv = directory / "bundle-private.pem"
    pub = directory / "bundle-public.pem"
    priv.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    pub.write_bytes(
        private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return priv, pub


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory, keys: tuple[Path, Path], opa_binary: str) -> Path:
    """A directory with a signed, an unsigned and a tampered bundle of the pack."""
    directory = tmp_path_factory.mktemp("bundles")
    done = run_cli("policy", "build", "--out", str(directory / "ketencheck.tar.gz"), "--signing-key", str(keys[0]))
    assert done.returncode == 0, done.stderr
    assert re.search(r"revision 1\.1\.0\+[0-9a-f]{12}, signed", done.stdout)
    assert run_cli("policy", "build", "--out", str(directory / "unsigned.tar.gz")).returncode == 0
    _tamper(directory / "ketencheck.tar.gz", directory / "tampered.tar.gz")
    return directory


def _tamper(source: Path, target: Path) -> None:
    # Change one word of the matrix and repack, keeping the original signature file.
    with tarfile.open(source) as tar:
        members = [(m, tar.extractfile(m).read() if m.isfile() else b"") for m in tar.getmembers()]  # type: ignore[union-attr]
    with tarfile.open(target, "w:gz") as out:
        for member, data in members:
            if member.name.endswith("data.json"):
                data = data.replace(b'"einde_opvang"', b'"opvang_einde"', 1)
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))


@pytest.fixture(scope="module")
def server(
    bundles: Path, keys: tuple[Path, Path], opa_binary: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opa]:
    """The documented deployment: token authz, the signed bundle from a bundle service, masked decision logs."""
    tmp = tmp_path_factory.mktemp("server")
    with _serve(bundles) as service:
        args = [
            "--authentication=token",
            "--authorization=basic",
            "--config-file", str(DEPLOY / "config.yaml"),
            "--set-file", f"keys.ketencheck.key={keys[1]}",
            str(DEPLOY / "authz.rego"),
            str(DEPLOY / "mask.rego"),
        ]  # fmt: skip
        env = {"BUNDLE_SERVICE_URL": service, "KETENCHECK_OPA_TOKEN": TOKEN}
        with _opa(opa_binary, tmp, args, env, wait_for_bundle=True) as opa:
            yield opa


def _check(server_url: str, *args: str, token: str = TOKEN) -> subprocess.CompletedProcess[str]:
    return run_cli("check", "--engine", "server", "--opa-url", server_url, *args, env={"KETENCHECK_OPA_TOKEN": token})


def _without_engine(stdout: str) -> dict[str, Any]:
    report = report_json(stdout)
    report.pop("engine")
    return report


def test_the_server_engine_gives_the_local_verdicts_on_the_examples(server: Opa) -> None:
    remote = _check(server.url, "--format", "json", "--today", "2026-11-28", "examples/")
    local = run_cli("check", "--format", "json", "--today", "2026-11-28", "examples/")
    assert (remote.returncode, local.returncode) == (1, 1), remote.stderr
    assert _without_engine(remote.stdout) == _without_engine(local.stdout)
    engine = report_json(remote.stdout)["engine"]
    assert engine["name"] == "opa-server"
    assert engine["version"] == "1.22.3"
    assert engine["revision"] == report_json(local.stdout)["engine"]["revision"]  # the same pack, by digest


def test_parity_on_five_thousand_generated_flows(server: Opa, tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "bench/generate.py",
            "--flows",
            "5000",
            "--files",
            "50",
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    args = ("--format", "json", "--today", "2026-11-28", "--timeout", "120", str(tmp_path))
    remote, local = _check(server.url, *args), run_cli("check", *args)
    assert remote.returncode == local.returncode == 1, remote.stderr
    remote_report, local_report = _without_engine(remote.stdout), _without_engine(local.stdout)
    assert remote_report["summary"]["flows"] == 5000
    assert remote_report["summary"]["denied"] > 0
    assert remote_report == local_report


def test_sarif_through_the_server_describes_every_rule(server: Opa) -> None:
    done = _check(server.url, "--format", "sarif", "examples/seed")
    rules = json.loads(done.stdout)["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) == 18
    assert next(r for r in rules if r["id"] == "provenance")["shortDescription"]["text"] == "No lawful source"


def test_decision_logs_hold_ids_and_verdicts_but_no_free_text(server: Opa) -> None:
    done = _check(server.url, "--format", "json", "--waivers", "examples/waivers/gemeente.waivers.yaml", "examples/")
    assert done.returncode == 1
    decisions = [
        e for e in server.log_lines() if e.get("msg") == "Decision Log" and e.get("path") == "ketencheck/main/result"
    ]
    assert decisions, "no decision was logged"
    entry = decisions[-1]
    flows = entry["input"]["flows"]
    assert {f["id"] for f in flows} >= {"ind-coa-afwijzing-integraal", "coa-gemeente-signaal"}
    assert all("description" not in f for f in flows)
    assert all("justification" not in w and "approver" not in w for w in entry["input"]["waivers"])
    assert "/input/flows/0/description" in entry["erased"]
    assert entry["result"]["verdicts"]["ind-coa-afwijzing-integraal"] == "deny"
    assert {f["rule"] for f in entry["result"]["findings"]} >= {"integral_not_proportional", "provenance"}
    assert entry["bundles"]["ketencheck"]["revision"].startswith("1.1.0+")
    text = json.dumps(entry)
    assert "Statusgegevens" not in text and "Verwerkingsregister" not in text  # a description and a justification


def test_rego_v1_policies_upload_as_written(server: Opa) -> None:
    # opa-python-client rewrites "old" Rego unless told not to; ketencheck's Rego is v1 and must stay as written.
    policy = "\n".join(
        [
            "package ketencheck_probe",
            "",
            "deny contains flow.id if {",
            "\tsome flow in input.flows",
            '\tflow.form == "integral"',
            "}",
            "",
        ]
    )
    with OpaClient(host="127.0.0.1", port=int(server.url.rsplit(":", 1)[1]), token=TOKEN) as client:
        assert client.update_policy_from_string(policy, "ketencheck-probe", rego_compat=False)
        assert client.get_policy("ketencheck-probe")["result"]["raw"] == policy
        answer = client.query_rule({"flows": [{"id": "a", "form": "integral"}]}, "ketencheck_probe", "deny")
        assert answer["result"] == ["a"]
        client.delete_policy("ketencheck-probe")


# Failing closed: each failure is exit 3 with a message that says which.


def test_a_wrong_token_is_refused(server: Opa) -> None:
    done = _check(server.url, "examples/seed", token="not-the-token")  # noqa: S106
    assert done.returncode == 3
    assert "refused the token (401 unauthorized)" in done.stderr


def test_no_token_is_refused(server: Opa) -> None:
    done = run_cli(
        "check", "--engine", "server", "--opa-url", server.url, "examples/seed", env={"KETENCHECK_OPA_TOKEN": ""}
    )
    assert done.returncode == 3
    assert "401" in done.stderr


def test_a_stopped_server_is_unreachable(opa_binary: str, tmp_path: Path) -> None:
    with _opa(opa_binary, tmp_path, [], {}, wait_for_bundle=False) as opa:
        url = opa.url
    done = _check(url, "examples/seed")
    assert done.returncode == 3
    assert f"the OPA server at {url} is unreachable: connection refused" in done.stderr


def test_a_server_without_the_policies_is_not_a_pass(opa_binary: str, tmp_path: Path) -> None:
    with _opa(opa_binary, tmp_path, [], {}, wait_for_bundle=False) as opa:
        done = _check(opa.url, "examples/seed")
    assert done.returncode == 3
    assert "the ketencheck policies are not loaded" in done.stderr


def test_a_tampered_bundle_is_never_activated(
    opa_binary: str, tmp_path: Path, bundles: Path, keys: tuple[Path, Path]
) -> None:
    served = tmp_path / "served"
    served.mkdir()
    (served / "ketencheck.tar.gz").write_bytes((bundles / "tampered.tar.gz").read_bytes())
    with _serve(served) as service:
        args = [
            "--config-file",
            str(DEPLOY / "config.yaml"),
            "--set-file",
            f"keys.ketencheck.key={keys[1]}",
            str(DEPLOY / "mask.rego"),
        ]
        with _opa(opa_binary, tmp_path, args, {"BUNDLE_SERVICE_URL": service}, wait_for_bundle=False) as opa:
            deadline = time.monotonic() + 20
            while "Bundle load failed" not in opa.log.read_text(errors="replace") and time.monotonic() < deadline:
                time.sleep(0.2)
            assert "Bundle load failed" in opa.log.read_text(errors="replace")
            done = _check(opa.url, "examples/seed")
    assert done.returncode == 3
    assert "the ketencheck policies are not loaded" in done.stderr


def test_a_server_error_fails_the_run(opa_binary: str, tmp_path: Path) -> None:
    # A pack whose entry point conflicts: OPA answers 500 (eval_conflict_error).
    broken = write(
        tmp_path, "broken.rego", "package ketencheck.main\n\nresult := 1 if input.flows\n\nresult := 2 if input.flows\n"
    )
    with _opa(opa_binary, tmp_path, [str(broken)], {}, wait_for_bundle=False) as opa:
        done = _check(opa.url, "examples/seed")
    assert done.returncode == 3
    assert "failed with 500 Internal Server Error" in done.stderr


def test_a_server_that_does_not_answer_times_out(tmp_path: Path) -> None:
    class Slow(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server interface
            time.sleep(5)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        started = time.monotonic()
        done = _check(f"http://127.0.0.1:{server.server_address[1]}", "--timeout", "1", "examples/seed")
        assert time.monotonic() - started < 4.5
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 3
    assert "did not answer in time" in done.stderr


# The local engine with a bundle: verified before use, and the report names its revision.


def test_check_with_a_signed_bundle(bundles: Path, keys: tuple[Path, Path]) -> None:
    done = run_cli(
        "check", "--format", "json", "--bundle", str(bundles / "ketencheck.tar.gz"),
        "--verification-key", str(keys[1]), "examples/seed",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    report = report_json(done.stdout)
    assert re.fullmatch(r"1\.1\.0\+[0-9a-f]{12}", report["engine"]["revision"])
    assert report["summary"]["denied"] == 3


@pytest.mark.parametrize(
    ("name", "message"),
    [("tampered.tar.gz", "failed signature verification"), ("unsigned.tar.gz", "missing .signatures.json")],
)
def test_a_tampered_or_unsigned_bundle_is_refused(
    bundles: Path, keys: tuple[Path, Path], name: str, message: str
) -> None:
    done = run_cli("check", "--bundle", str(bundles / name), "--verification-key", str(keys[1]), "examples/seed")
    assert done.returncode == 3
    assert message in done.stderr
    assert done.stdout == ""


def test_a_bundle_signed_with_another_key_is_refused(bundles: Path, tmp_path: Path) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    pub = write(
        tmp_path,
        "other.pem",
        other.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(),
    )
    done = run_cli(
        "check", "--bundle", str(bundles / "ketencheck.tar.gz"), "--verification-key", str(pub), "examples/seed"
    )
    assert done.returncode == 3
    assert "failed signature verification" in done.stderr


def test_a_bundle_without_a_key_is_a_usage_error(bundles: Path) -> None:
    done = run_cli("check", "--bundle", str(bundles / "ketencheck.tar.gz"), "examples/seed")
    assert done.returncode == 2
    assert "--bundle needs --verification-key" in done.stderr
