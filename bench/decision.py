"""The decision benchmark of `make bench`: what one decision costs, in `opa bench` and from a server under load.

- `opa bench` of the decision query on the signed bundle, for N flows in one input: ns, bytes and allocations
  per evaluation (Go's benchmark loop: as many evaluations as fit in about a second, at least one).
- A real `opa run --server` on 127.0.0.1 as docs/server.md deploys it: the signed bundle pulled from a bundle
  service and verified, token authentication, the decision log on (console) with the mask. vegeta (built from
  its Go module) sends single-flow decisions at a fixed rate for a fixed time, open loop: a slow answer does
  not delay the next request, so the latencies are not flattered by a client waiting for the server.

The decision path is a parameter (default ketencheck/main/result), so the same load can be pointed at another
entry point; the `opa bench` query is the same path under data.
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import math
import os
import secrets
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generate import generate

TODAY = "2026-11-28"
ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "opa"
# Free text in every request, so that the mask has something to erase, as it would in a chain's flows.
DESCRIPTION = "Bench: text a person wrote about the flow, erased before the decision is logged"


@dataclass(frozen=True)
class BenchResult:
    flows: int
    iterations: int
    ns_per_op: float
    bytes_per_op: float
    allocs_per_op: float


@dataclass(frozen=True)
class LoadResult:
    rate: int
    seconds: float
    requests: int
    ok: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    throughput: float
    errors: tuple[str, ...]
    logged: int
    masked: int
    server_peak_mb: float
    # From the decision log's metrics: the time inside OPA's HTTP handler, and the Rego evaluation within it.
    handler_p50_ms: float
    handler_p99_ms: float
    eval_p50_ms: float
    eval_p99_ms: float


def _percentile(values: list[float], share: float) -> float:
    # Nearest rank, as vegeta reports its own percentiles.
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def query(path: str) -> str:
    """The Rego query of a decision path: ketencheck/main/result is data.ketencheck.main.result."""
    return "data." + path.strip("/").replace("/", ".")


def decision_input(flows: int) -> dict[str, Any]:
    """N generated flows (the whole-process set of that size, seed 1) as one decision's input."""
    chunks = generate(flows, 1, seed=1, unlawful=0.2)
    return {"flows": chunks[0] if chunks else [], "waivers": [], "today": TODAY}


def signed_bundle(ketencheck: str, directory: Path) -> tuple[Path, Path]:
    """`ketencheck policy build --signing-key` with a fresh key: the bundle and the public key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    directory.mkdir(parents=True, exist_ok=True)
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    priv, pub = directory.parent / "bundle-private.pem", directory.parent / "bundle-public.pem"
    priv.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    pub.write_bytes(
        private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    bundle = directory / "ketencheck.tar.gz"
    done = subprocess.run(  # noqa: S603
        [ketencheck, "policy", "build", "--out", str(bundle), "--signing-key", str(priv)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if done.returncode != 0:
        raise SystemExit(f"ketencheck policy build failed: {done.stderr[-500:]}")
    return bundle, pub


def opa_bench(opa: str, bundle: Path, input_path: Path, rego_query: str, timeout: float = 300) -> BenchResult:
    """One `opa bench` run: Go's benchmark loop over the prepared query, so parsing and compiling are not in it."""
    done = subprocess.run(  # noqa: S603
        [opa, "bench", "--format", "json", "--fail", "-b", str(bundle), "-i", str(input_path), rego_query],
        capture_output=True,
        check=False,
        timeout=timeout,
    )
    if done.returncode != 0:
        # --fail: an undefined or empty result is an error, so a query that evaluates nothing is never timed.
        raise SystemExit(f"opa bench of {rego_query} failed: {done.stderr.decode(errors='replace')[-500:]}")
    out = json.loads(done.stdout)
    n = int(out["N"])
    flows = len(json.loads(input_path.read_bytes())["flows"])
    return BenchResult(flows, n, out["T"] / n, out["MemBytes"] / n, out["MemAllocs"] / n)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def _bundle_service(directory: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def _server(opa: str, bundles: Path, public_key: Path, token: str, log: Path) -> Iterator[tuple[str, int]]:
    """The documented deployment (deploy/opa), on a free port of 127.0.0.1: its URL and process id."""
    port = _free_port()
    with _bundle_service(bundles) as service, log.open("wb") as sink:
        process = subprocess.Popen(  # noqa: S603
            [
                opa,
                "run",
                "--server",
                "--addr",
                f"127.0.0.1:{port}",
                "--log-format",
                "json",
                "--authentication=token",
                "--authorization=basic",
                "--config-file",
                str(DEPLOY / "config.yaml"),
                "--set-file",
                f"keys.ketencheck.key={public_key}",
                str(DEPLOY / "authz.rego"),
                str(DEPLOY / "mask.rego"),
            ],  # fmt: skip
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, "BUNDLE_SERVICE_URL": service, "KETENCHECK_OPA_TOKEN": token},
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    # ?bundles: healthy only once the signed bundle is verified and activated.
                    with urllib.request.urlopen(f"{url}/health?bundles", timeout=1) as response:  # noqa: S310
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(
                        f"opa run --server did not become healthy: {log.read_text(errors='replace')[-800:]}"
                    )
                time.sleep(0.1)
            yield url, process.pid
        finally:
            process.terminate()
            process.wait(timeout=15)


def _peak_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _probe(url: str, token: str, body: bytes) -> None:
    # vegeta counts any 200 as a success, and OPA answers 200 with no "result" for an undefined decision: check
    # every distinct request once that it is a real decision (this also warms the server's query cache).
    request = urllib.request.Request(  # noqa: S310 - 127.0.0.1
        url, data=body, method="POST", headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        answer = json.loads(response.read())
    if not isinstance(answer.get("result"), dict):
        raise SystemExit(f"{url} gives no decision for a single flow: {json.dumps(answer)[:300]}")


def load_test(
    opa: str,
    vegeta: str,
    bundles: Path,
    public_key: Path,
    work: Path,
    *,
    path: str,
    rate: int,
    seconds: float,
    distinct: int = 200,
) -> LoadResult:
    """Single-flow decisions at `rate` per second for `seconds` against a real server, the decision log on."""
    token = secrets.token_urlsafe(24)
    log = work / "opa-server.log"
    flows = [{**flow, "description": DESCRIPTION} for flow in decision_input(distinct)["flows"]]
    bodies = [json.dumps({"input": {"flows": [flow], "today": TODAY}}).encode() for flow in flows]
    with _server(opa, bundles, public_key, token, log) as (url, pid):
        target = f"{url}/v1/data/{path.strip('/')}"
        for body in bodies:
            _probe(target, token, body)
        targets = work / "targets.jsonl"
        header = {"Authorization": [f"Bearer {token}"], "Content-Type": ["application/json"]}
        targets.write_text(
            "".join(
                json.dumps({"method": "POST", "url": target, "header": header, "body": base64.b64encode(b).decode()})
                + "\n"
                for b in bodies
            ),
            encoding="utf-8",
        )
        results = work / "results.bin"
        with results.open("wb") as sink:
            # One core's worth for the generator (GOMAXPROCS=1): the server keeps both, the machine has two.
            subprocess.run(  # noqa: S603
                [
                    vegeta,
                    "attack",
                    "-format=json",
                    f"-targets={targets}",
                    f"-rate={rate}/1s",
                    f"-duration={seconds}s",
                    "-timeout=5s",
                ],  # fmt: skip
                stdout=sink,
                check=True,
                timeout=seconds + 60,
                env={**os.environ, "GOMAXPROCS": "1"},
            )
        peak = _peak_mb(pid)
    report = json.loads(
        subprocess.run(  # noqa: S603
            [vegeta, "report", "-type=json", str(results)], capture_output=True, check=True, timeout=60
        ).stdout
    )
    entries = [
        json.loads(line) for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line[:1] == "{"
    ]
    decisions = [e for e in entries if e.get("msg") == "Decision Log" and e.get("path") == path.strip("/")]
    # The log is written in order: the probes' decisions come first.
    attack = decisions[len(bodies) :]
    masked = [e for e in attack if "/input/flows/0/description" in e.get("erased", [])]
    handler = [e.get("metrics", {}).get("timer_server_handler_ns", 0) / 1e6 for e in attack]
    evaluation = [e.get("metrics", {}).get("timer_rego_query_eval_ns", 0) / 1e6 for e in attack]
    latencies = report["latencies"]
    codes = report.get("status_codes") or {}
    return LoadResult(
        rate=rate,
        seconds=seconds,
        requests=int(report["requests"]),
        ok=int(codes.get("200", 0)),
        p50_ms=latencies["50th"] / 1e6,
        p99_ms=latencies["99th"] / 1e6,
        max_ms=latencies["max"] / 1e6,
        throughput=float(report["throughput"]),
        errors=tuple(report.get("errors") or ()),
        logged=len(attack),
        masked=len(masked),
        server_peak_mb=peak,
        handler_p50_ms=_percentile(handler, 0.5),
        handler_p99_ms=_percentile(handler, 0.99),
        eval_p50_ms=_percentile(evaluation, 0.5),
        eval_p99_ms=_percentile(evaluation, 0.99),
    )
