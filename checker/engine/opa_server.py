"""The server engine: a running OPA (a chain's central policy decision point), through opa-python-client.

All flows go in one request, as with the local engine: the chain rules need the whole set in one evaluation,
so splitting a run into batches would change verdicts. Every failure is an EngineError (exit 3): unreachable,
refused token, server error, timeout, or a server that does not have the ketencheck policies loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
from opa_client import OpaClient

from checker.engine.interface import Evaluation, Request, parse_result, parse_rules, policy_input
from checker.errors import EngineFailed, EngineOutputError, EngineTimeout
from checker.model import RuleInfo

RESULT_PACKAGE = "ketencheck.main"


class OpaServerEngine:
    """Evaluates on an OPA server's REST API (POST /v1/data/ketencheck/main/result)."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 60.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise EngineFailed(f"--opa-url must be http(s)://host:port, not {url!r}")
        self._url = f"{parts.scheme}://{parts.netloc}"
        port = parts.port or (443 if parts.scheme == "https" else 8181)
        # No retries: a gate fails fast and says why; CI reruns the job.
        self._client = OpaClient(
            host=parts.hostname, port=port, ssl=parts.scheme == "https", token=token, retries=0, timeout=timeout
        )

    def close(self) -> None:
        """Close the HTTP session."""
        self._client.close_connection()

    def evaluate(self, request: Request) -> Evaluation:
        """One request with every flow, the waivers and the day."""
        answer = self._call(
            "evaluate the flows", self._client.query_rule, policy_input(request), RESULT_PACKAGE, "result"
        )
        if not isinstance(answer, Mapping) or "result" not in answer:
            raise EngineOutputError(
                f"the OPA server at {self._url} has no data.ketencheck.main.result: the ketencheck policies are not "
                "loaded (check its bundle configuration and its status API)"
            )
        return parse_result(answer["result"], request, "opa-server")

    def catalogue(self) -> Mapping[str, Any]:
        """The catalogue as the server has it."""
        answer = self._call("read the catalogue", self._client.query_rule, {}, "ketencheck", "catalogue")
        value = answer.get("result") if isinstance(answer, Mapping) else None
        if not isinstance(value, Mapping):
            raise EngineOutputError(f"the OPA server at {self._url} has no ketencheck catalogue loaded")
        return value

    def rules(self) -> tuple[RuleInfo, ...]:
        """The rules' METADATA from the modules the server has loaded (GET /v1/policies)."""
        annotations: list[dict[str, Any]] = []
        for policy_id in self._call("list the policies", self._client.get_policies_list):
            if "/rules/" not in policy_id and "/chain/" not in policy_id:
                continue
            module = self._call("read a policy", self._client.get_policy, policy_id).get("result", {})
            ast = module.get("ast", {})
            path = [{"value": part.get("value")} for part in ast.get("package", {}).get("path", [])]
            annotations.extend(
                {"path": [*path, {"value": "deny"}], "annotations": note, "location": {"file": policy_id}}
                for note in ast.get("annotations", [])
                if note.get("scope") == "document" or "custom" in note
            )
        return parse_rules(annotations, "opa-server")

    def _call(self, what: str, method: Any, *args: Any) -> Any:
        try:
            return method(*args)
        except requests.Timeout as exc:
            raise EngineTimeout(f"the OPA server at {self._url} did not answer in time (--timeout) to {what}") from exc
        except requests.ConnectionError as exc:
            raise EngineFailed(f"the OPA server at {self._url} is unreachable: {_reason(exc)}") from exc
        except requests.HTTPError as exc:
            raise EngineFailed(_http_error(self._url, what, exc.response)) from exc
        except requests.RequestException as exc:
            raise EngineFailed(f"request to the OPA server at {self._url} failed: {exc}") from exc
        except Exception as exc:  # noqa: BLE001 - opa_client raises its own untyped errors (e.g. PolicyNotFoundError)
            message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            raise EngineFailed(f"the OPA server at {self._url} could not {what}: {message}") from exc


def _reason(exc: requests.ConnectionError) -> str:
    text = str(exc)
    if "Connection refused" in text:
        return "connection refused (is it running, and is the port right?)"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "unknown host"
    return text[:300]


def _http_error(url: str, what: str, response: requests.Response | None) -> str:
    if response is None:
        return f"the OPA server at {url} failed to {what}"
    try:
        body = response.json()
        detail = body.get("message") or body.get("code") or ""
    except ValueError:
        detail = response.text[:200]
    status = response.status_code
    if status == 401:
        return f"the OPA server at {url} refused the token (401 unauthorized): check --opa-token / KETENCHECK_OPA_TOKEN"
    if status == 403:
        return f"the OPA server at {url} does not allow this request (403 forbidden): {detail}"
    if status >= 500:
        return f"the OPA server at {url} failed with {status} {response.reason}: {detail}"
    return f"the OPA server at {url} answered {status} {response.reason} to {what}: {detail}"
