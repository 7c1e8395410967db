"""The server engine: a running OPA (a chain's central policy decision point), through its REST API.

All flows go in one request, as with the local engine: the chain rules need the whole set in one evaluation,
so splitting a run into batches would change verdicts. Every failure is an EngineError (exit 3): unreachable,
refused token, server error, timeout, an oversized answer, a redirect, or a server that does not have the
ketencheck policies loaded.

The HTTP exchange is ketencheck's own (requests, not opa-python-client): a gate must bound what a server can
make it do, and the client library offers neither a deadline for a whole request (its timeout is per socket
read, so a server trickling a byte every few seconds holds a run for ever), nor a limit on the answer, nor a
way to refuse redirects (which re-send the flows to wherever the server points).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import requests

from checker.engine.codec import parse_result, parse_rules, policy_input
from checker.engine.interface import Evaluation, Request
from checker.errors import EngineFailed, EngineOutputError, EngineTimeout, InputError
from checker.i18n import _
from checker.model import RuleInfo
from checker.sanitize import printable

RESULT_PATH = "/v1/data/ketencheck/main/result"

MAX_ANSWER_BYTES = 256 * 2**20
"""The largest answer read from the server (decompressed). 5,000 flows answer in about 2 MB; a server that
sends more is broken or hostile, and reading on would only exhaust memory."""

_CHUNK = 64 * 2**10

T = TypeVar("T")


class OpaServerEngine:
    """Evaluates on an OPA server's REST API (POST /v1/data/ketencheck/main/result)."""

    def __init__(
        self, url: str, token: str | None = None, timeout: float = 60.0, max_answer: int = MAX_ANSWER_BYTES
    ) -> None:
        # Checked before anything else prints the URL, also for one without a scheme: the password must not
        # reach a CI log.
        authority = url.split("//", 1)[-1].split("/", 1)[0]
        if "@" in authority:
            shown = (url.split("//", 1)[0] + "//" if "//" in url else "") + authority.rpartition("@")[2]
            raise InputError(
                _(
                    "--opa-url must not hold credentials (user:password@); give the server as {server} and "
                    "the token with KETENCHECK_OPA_TOKEN"
                ).format(server=printable(shown))
            )
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise EngineFailed(_("--opa-url must be http(s)://host:port, not {url}").format(url=repr(url)))
        port = parts.port or (443 if parts.scheme == "https" else 8181)
        self._url = f"{parts.scheme}://{parts.netloc}"
        self._base = f"{parts.scheme}://{parts.netloc if parts.port else f'{parts.netloc}:{port}'}"
        self._timeout = timeout
        self._max_answer = max_answer
        self._session = requests.Session()
        # No retries (requests' default adapter makes none): a gate fails fast and says why; CI reruns the job.
        if token:
            _check_token(token)
            self._session.headers["Authorization"] = f"Bearer {token}"

    def close(self) -> None:
        """Close the HTTP session."""
        self._session.close()

    def evaluate(self, request: Request) -> Evaluation:
        """One request with every flow, the waivers and the day."""
        document = {"input": policy_input(request)}
        answer = self._within_deadline(_("evaluate the flows"), lambda: self._exchange("POST", RESULT_PATH, document))
        if not isinstance(answer, Mapping) or "result" not in answer:
            raise EngineOutputError(
                _(
                    "the OPA server at {url} has no {query}: the ketencheck policies are not loaded (check its "
                    "bundle configuration and its status API)"
                ).format(url=self._url, query="data.ketencheck.main.result")
            )
        return parse_result(answer["result"], request, "opa-server")

    def query(self, path: str, value: Any) -> Any:
        """The value of data.<path> (a/b/c) for one input; a server without it is an engine error."""
        answer = self._within_deadline(
            _("answer {query}").format(query="data." + path.replace("/", ".")),
            lambda: self._exchange("POST", f"/v1/data/{path}", {"input": value}),
        )
        if not isinstance(answer, Mapping) or "result" not in answer:
            raise EngineOutputError(
                _(
                    "the OPA server at {url} has no {query}: the ketencheck policies are not loaded (check its "
                    "bundle configuration and its status API)"
                ).format(url=self._url, query="data." + path.replace("/", "."))
            )
        return answer["result"]

    def catalogue(self) -> Mapping[str, Any]:
        """The catalogue as the server has it."""
        answer = self._within_deadline(
            _("read the catalogue"), lambda: self._exchange("POST", "/v1/data/ketencheck/catalogue", {"input": {}})
        )
        value = answer.get("result") if isinstance(answer, Mapping) else None
        if not isinstance(value, Mapping):
            raise EngineOutputError(
                _("the OPA server at {url} has no ketencheck catalogue loaded").format(url=self._url)
            )
        return value

    def rules(self) -> tuple[RuleInfo, ...]:
        """The rules' METADATA from the modules the server has loaded (GET /v1/policies)."""
        return parse_rules(self._within_deadline(_("read the policies"), self._annotations), "opa-server")

    def _annotations(self) -> list[dict[str, Any]]:
        annotations: list[dict[str, Any]] = []
        listing = self._exchange("GET", "/v1/policies", None)
        policies = listing.get("result", []) if isinstance(listing, Mapping) else []
        for policy_id in (p.get("id") for p in policies if isinstance(p, Mapping)):
            if not isinstance(policy_id, str) or ("/rules/" not in policy_id and "/chain/" not in policy_id):
                continue
            module = self._exchange("GET", f"/v1/policies/{quote(policy_id, safe='/')}", None).get("result", {})
            ast = module.get("ast", {})
            path = [{"value": part.get("value")} for part in ast.get("package", {}).get("path", [])]
            annotations.extend(
                {"path": [*path, {"value": "deny"}], "annotations": note, "location": {"file": policy_id}}
                for note in ast.get("annotations", [])
                if note.get("scope") == "document" or "custom" in note
            )
        return annotations

    def _within_deadline(self, what: str, work: Callable[[], T]) -> T:
        """Run work, giving up after --timeout seconds in all, however the server paces its bytes.

        requests' timeout bounds each socket read, not the request: a server that sends a byte a second never
        trips it. The exchange runs in a daemon thread that the caller stops waiting for at the deadline; the
        CLI exits right after the EngineTimeout, which ends the thread with the process.
        """
        outcome: list[Any] = []
        failure: list[BaseException] = []
        done = threading.Event()

        def run() -> None:
            try:
                outcome.append(work())
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread, which raises it
                failure.append(exc)
            finally:
                done.set()

        threading.Thread(target=run, name="ketencheck-opa-request", daemon=True).start()
        if not done.wait(self._timeout):
            raise EngineTimeout(
                _("the OPA server at {url} did not answer in time to {what} ({seconds} s, --timeout)").format(
                    url=self._url, what=what, seconds=f"{self._timeout:g}"
                )
            )
        if failure:
            raise failure[0]
        return outcome[0]  # type: ignore[no-any-return]

    def _exchange(self, method: str, path: str, body: Any) -> Any:
        """One HTTP exchange: the answer's JSON on 200, an EngineError for anything else."""
        what = (
            _("evaluate the flows") if path == RESULT_PATH else _("answer {request}").format(request=f"{method} {path}")
        )
        try:
            with self._session.request(
                method,
                self._base + path,
                json=body,
                timeout=(self._timeout, self._timeout),
                stream=True,
                allow_redirects=False,
            ) as response:
                if response.is_redirect or 300 <= response.status_code < 400:
                    target = printable(response.headers.get("Location", "")[:200])
                    raise EngineFailed(
                        _(
                            "the OPA server at {url} answered {status}, a redirect to {target}, to {what}; "
                            "ketencheck does not follow redirects, which would send the flows elsewhere: give "
                            "--opa-url the server's own address"
                        ).format(url=self._url, status=response.status_code, target=target or "?", what=what)
                    )
                content = self._read(response)
                if response.status_code != 200:
                    raise EngineFailed(_http_error(self._url, what, response.status_code, response.reason, content))
        except requests.Timeout as exc:
            raise EngineTimeout(
                _("the OPA server at {url} did not answer in time (--timeout) to {what}").format(
                    url=self._url, what=what
                )
            ) from exc
        except requests.ConnectionError as exc:
            raise EngineFailed(
                _("the OPA server at {url} is unreachable: {reason}").format(url=self._url, reason=_reason(exc))
            ) from exc
        except requests.RequestException as exc:
            raise EngineFailed(
                _("request to the OPA server at {url} failed: {problem}").format(
                    url=self._url, problem=printable(str(exc)[:300])
                )
            ) from exc
        try:
            return json.loads(content)
        except ValueError as exc:
            raise EngineOutputError(
                _("the OPA server at {url} answered {what} with no valid JSON").format(url=self._url, what=what)
            ) from exc

    def _read(self, response: requests.Response) -> bytes:
        # Counted after decompression, so a small gzip bomb is stopped as well.
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self._max_answer:
            raise EngineOutputError(self._too_large())
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(_CHUNK):
            size += len(chunk)
            if size > self._max_answer:
                raise EngineOutputError(self._too_large())
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self) -> str:
        return _(
            "the OPA server at {url} sent an answer larger than {size} MiB; not read further (a ketencheck result "
            "is far smaller)"
        ).format(url=self._url, size=self._max_answer // 2**20)


def _check_token(token: str) -> None:
    """Refuse a token that cannot be a bearer token, without ever echoing it.

    requests would put it in its own error message (a newline in a header), which the CLI prints to a CI log.
    """
    bad = next((i for i, c in enumerate(token) if not "\x21" <= c <= "\x7e"), None)
    if bad is not None:
        kind = (
            _("a space")
            if token[bad] == " "
            else _("a control character")
            if ord(token[bad]) < 0x80
            else _("non-ASCII text")
        )
        raise InputError(
            _(
                "the OPA token (--opa-token / KETENCHECK_OPA_TOKEN) holds {kind} at position {position} of "
                "{length}; a bearer token is visible ASCII only (the token is not shown)"
            ).format(kind=kind, position=bad + 1, length=len(token))
        )


def _reason(exc: requests.ConnectionError) -> str:
    text = str(exc)
    if isinstance(exc, requests.exceptions.SSLError) and "CERTIFICATE_VERIFY_FAILED" in text:
        # The one TLS failure a user can fix on their side, so say how (docs/server.md, "TLS").
        detail = text.rpartition("certificate verify failed: ")[2].split(" (_ssl", 1)[0].split("'", 1)[0]
        return _(
            "its TLS certificate is not trusted ({detail}); give the CA that signed it with REQUESTS_CA_BUNDLE=FILE"
        ).format(detail=printable(detail[:120]))
    if "Connection refused" in text:
        return _("connection refused (is it running, and is the port right?)")
    if "Name or service not known" in text or "nodename nor servname" in text:
        return _("unknown host")
    return printable(text[:300])


def _http_error(url: str, what: str, status: int, reason: str, content: bytes) -> str:
    try:
        body = json.loads(content)
        detail = (body.get("message") or body.get("code") or "") if isinstance(body, Mapping) else ""
    except ValueError:
        detail = content[:200].decode("utf-8", "replace")
    detail = printable(str(detail)[:300])
    if status == 401:
        return _(
            "the OPA server at {url} refused the token (401 unauthorized): check --opa-token / KETENCHECK_OPA_TOKEN"
        ).format(url=url)
    if status == 403:
        return _("the OPA server at {url} does not allow this request (403 forbidden): {detail}").format(
            url=url, detail=detail
        )
    if status >= 500:
        return _("the OPA server at {url} failed with {status} {reason}: {detail}").format(
            url=url, status=status, reason=printable(reason or ""), detail=detail
        )
    return _("the OPA server at {url} answered {status} {reason} to {what}: {detail}").format(
        url=url, status=status, reason=printable(reason or ""), what=what, detail=detail
    )
