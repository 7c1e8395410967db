"""The server engine against a hostile or broken server on 127.0.0.1 (issue 12, item 6): a whole-request
deadline, a bounded answer, no redirects, and credentials that never reach a log.

Each server is a small http.server in a thread that stops by itself: bounded in bytes and time, and told to
stop when the test ends.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from tests.conftest import run_cli

Handler = Callable[[http.server.BaseHTTPRequestHandler, threading.Event], None]


@contextmanager
def _server(handle: Handler) -> Iterator[str]:
    stop = threading.Event()

    class One(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server interface
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            handle(self, stop)

        do_GET = do_POST  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), One)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def _trickle(data: bytes, stop: threading.Event, out: http.server.BaseHTTPRequestHandler) -> None:
    # One byte every 0.4 s, for at most 40 s: well under any per-read timeout, far over the run's deadline.
    for byte in data[:100]:
        if stop.wait(0.4):
            return
        try:
            out.wfile.write(bytes([byte]))
            out.wfile.flush()
        except OSError:
            return


def _check(url: str, *args: str, token: str = "") -> tuple[int, str, float]:
    started = time.monotonic()
    done = run_cli(
        "check", "--engine", "server", "--opa-url", url, *args, "examples/seed", env={"KETENCHECK_OPA_TOKEN": token}
    )
    assert "Traceback" not in done.stderr
    return done.returncode, done.stderr, time.monotonic() - started


ANSWER = b'{"result": {"findings": [], "verdicts": {}}}' + b" " * 200


@pytest.mark.parametrize("part", ["status line", "body"])
def test_a_trickling_server_is_stopped_at_the_deadline(part: str) -> None:
    def handle(out: http.server.BaseHTTPRequestHandler, stop: threading.Event) -> None:
        if part == "status line":
            _trickle(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + ANSWER, stop, out)
        else:
            out.send_response(200)
            out.send_header("Content-Type", "application/json")
            out.send_header("Content-Length", str(len(ANSWER)))
            out.end_headers()
            out.wfile.flush()
            _trickle(ANSWER, stop, out)

    with _server(handle) as url:
        code, stderr, elapsed = _check(url, "--timeout", "2")
    assert code == 3, stderr
    assert "did not answer in time to evaluate the flows (2 s, --timeout)" in stderr
    # Before: each byte reset the per-read timeout, and the run lasted as long as the server trickled (40 s).
    assert elapsed < 8, elapsed


def test_an_oversized_answer_is_not_read_to_the_end() -> None:
    sent = [0]

    def handle(out: http.server.BaseHTTPRequestHandler, stop: threading.Event) -> None:
        # No Content-Length: the answer runs until the connection closes; this one stops after 320 MiB.
        out.send_response(200)
        out.send_header("Content-Type", "application/json")
        out.end_headers()
        block = b'{"result": {"findings": [], "padding": "' + b"x" * (2**20 - 41)
        try:
            out.wfile.write(block)
            sent[0] += len(block)
            while sent[0] < 320 * 2**20 and not stop.is_set():
                out.wfile.write(b"x" * 2**20)
                sent[0] += 2**20
        except OSError:
            return

    with _server(handle) as url:
        code, stderr, elapsed = _check(url, "--timeout", "60")
    assert code == 3, stderr
    assert "sent an answer larger than 256 MiB; not read further" in stderr
    assert sent[0] < 320 * 2**20  # the client hung up before the server was done
    assert elapsed < 30, elapsed


def test_a_declared_oversized_answer_is_refused_before_reading() -> None:
    def handle(out: http.server.BaseHTTPRequestHandler, stop: threading.Event) -> None:
        out.send_response(200)
        out.send_header("Content-Type", "application/json")
        out.send_header("Content-Length", str(3 * 2**30 // 2))
        out.end_headers()
        out.wfile.write(b'{"result": ')

    with _server(handle) as url:
        code, stderr, _ = _check(url)
    assert code == 3, stderr
    assert "sent an answer larger than 256 MiB" in stderr


def test_a_redirect_is_not_followed_and_the_flows_go_nowhere_else() -> None:
    received: list[bytes] = []

    def elsewhere(out: http.server.BaseHTTPRequestHandler, stop: threading.Event) -> None:
        received.append(b"request")
        out.send_response(200)
        out.send_header("Content-Type", "application/json")
        out.end_headers()
        out.wfile.write(json.dumps({"result": {"findings": [], "verdicts": {}}}).encode())

    with _server(elsewhere) as other:

        def redirect(out: http.server.BaseHTTPRequestHandler, stop: threading.Event) -> None:
            out.send_response(307)
            out.send_header("Location", f"{other}/v1/data/ketencheck/main/result")
            out.send_header("Content-Length", "0")
            out.end_headers()

        with _server(redirect) as url:
            code, stderr, _ = _check(url)
    assert code == 3, stderr
    assert "answered 307, a redirect to" in stderr
    assert "ketencheck does not follow redirects" in stderr
    assert received == []  # before: requests re-sent every flow to the Location


def test_a_token_with_a_newline_is_refused_without_printing_it() -> None:
    secret = "s3cr3t-t0ken"  # noqa: S105 - a throwaway value that must not appear in the output
    code, stderr, _ = _check("http://127.0.0.1:9", token=f"{secret}\n::error::x")
    assert code == 2, stderr
    assert "holds a control character at position 13" in stderr
    assert secret not in stderr  # before: requests' "Invalid ... header value: 'Bearer s3cr3t-t0ken\n...'"


@pytest.mark.parametrize("scheme", ["http://", ""])
def test_credentials_in_the_url_are_refused_without_printing_them(scheme: str) -> None:
    code, stderr, _ = _check(f"{scheme}ketencheck:pa55w0rd@127.0.0.1:9")
    assert code == 2, stderr
    assert "--opa-url must not hold credentials (user:password@)" in stderr
    assert f"give the server as {scheme}127.0.0.1:9 and" in stderr
    assert "pa55w0rd" not in stderr  # before: "the OPA server at http://ketencheck:pa55w0rd@127.0.0.1:9 is ..."
