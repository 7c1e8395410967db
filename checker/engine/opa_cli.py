"""The default engine: one `opa eval` process per run, all flows in one query."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from checker import _subprocess
from checker import bundle as bundles
from checker.engine.codec import parse_result, parse_rules, policy_input
from checker.engine.interface import Evaluation, Request
from checker.errors import EngineFailed, EngineNotFound, EngineOutputError, InputError
from checker.i18n import _
from checker.model import RuleInfo
from checker.resources import policies_dir

RESULT_QUERY = "data.ketencheck.main.result"
# A soft memory limit for the Go runtime of `opa eval`: it collects earlier instead of letting the heap double,
# which keeps 100,000 flows under 1 GiB at no measurable cost. GOMEMLIMIT set by the user wins (and GOGC is then
# left as the user has it).
OPA_MEMORY_LIMIT = "768MiB"
# Up to this much input (about 20,000 flows), Go collects when the heap has grown to five times what is live
# (GOGC=400) instead of twice: at 10,000 flows collecting was a quarter of opa's CPU (user time 1.03 -> 0.85 s, the
# same 0.90 s wall on two cores, 133 -> 160 MiB resident). Not off: memory follows the rules' work, not the input's
# size, and five flows of 500 unknown fields each (33 KB) then grew opa to the whole limit (770 MiB against 178
# MiB at 400, in the same 7 s). Larger inputs are collected as Go does by default: at 100,000 flows (20 MB) the
# limit governs, and collecting less saved no time and raised opa's peak by some 50 MiB.
RELAXED_GC_INPUT_BYTES = 4 * 2**20
RELAXED_GOGC = "400"
PINNED_OPA_VERSION = "1.22.3"
"""The OPA the pack is tested with (the Makefile's OPA_VERSION)."""


# pip and pre-commit users have no checkout and no Makefile: say how to get exactly this OPA without one.
def opa_not_found() -> str:
    """What to do when there is no opa, in the reader's language."""
    return _(
        "opa not found: ketencheck needs Open Policy Agent v{version}. Get it without a checkout: download "
        "the release binary for your platform (e.g. opa_linux_amd64_static, opa_darwin_arm64_static) from "
        "https://github.com/open-policy-agent/opa/releases/tag/v{version}, make it executable and put it "
        "on PATH as `opa`; or, with Go >= 1.26, `go install github.com/open-policy-agent/opa@v{version}` "
        "(into $(go env GOPATH)/bin); or a package manager's opa if `opa version` says {version}. "
        "ketencheck looks for it at --opa PATH, $KETENCHECK_OPA, beside its Python, then on PATH; "
        "`ketencheck doctor` shows what it finds"
    ).format(version=PINNED_OPA_VERSION)


CATALOGUE_QUERY = "data.ketencheck.catalogue"
DEFAULT_TIMEOUT = 60.0


def find_opa(explicit: str | None = None) -> str:
    """The opa binary: --opa or KETENCHECK_OPA, else beside the Python running us (the venv), else on PATH."""
    if explicit:
        return explicit
    env = os.environ.get("KETENCHECK_OPA")
    if env:
        return env
    # `make` links the pinned build into .venv/bin, so .venv/bin/ketencheck finds it without PATH changes.
    beside = Path(sys.executable).parent / "opa"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    on_path = shutil.which("opa")
    if on_path:
        return on_path
    raise EngineNotFound(opa_not_found())


class OpaCliEngine:
    """Evaluates the policy pack with the opa binary."""

    def __init__(
        self,
        opa: str,
        policies: Path | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        bundle: Path | None = None,
        verification_key: Path | None = None,
    ) -> None:
        self._opa = opa
        self._policies = policies or policies_dir()
        self._timeout = timeout
        self._bundle = bundle
        self._verification_key = verification_key
        self._verified: Path | None = None
        self._private: tempfile.TemporaryDirectory[str] | None = None
        self._approved: Mapping[str, Any] | None = None

    def approve(self, approved: Mapping[str, Any]) -> None:
        """Evaluate with these approved flows as data.ketencheck.approved (the decision API's design-time set).

        They are staged inside the private copy of the pack: a data file beside a bundle whose root is
        ketencheck would not be read under that root. A signed bundle carries its own approved flows.
        """
        if self._bundle is not None:
            raise InputError(
                _(
                    "--approved needs a policy directory: a signed bundle carries its own approved flows "
                    "(ketencheck policy build --approved)"
                )
            )
        if self._verified is not None:
            raise EngineFailed(_("approved flows must be given before the first evaluation"))
        self._approved = approved

    def close(self) -> None:
        """Remove the verified copy of a bundle, if one was made."""
        if self._private is not None:
            self._private.cleanup()
            self._private = None
            self._verified = None

    def _source(self) -> list[str]:
        return ["--bundle", str(self._pack())]

    def _pack(self) -> Path:
        # What opa reads: a private copy, made once per engine, of the policy directory's pack files (as a bundle
        # archive or directory whose manifest carries their revision), or the verified copy of a signed bundle. The
        # revision a report shows is then the one opa loaded, not a later reading of the directory.
        if self._bundle is None:
            if self._verified is None:
                self._check_policies()
                self._private = tempfile.TemporaryDirectory(prefix="ketencheck-pack-")
                self._verified, _rev = bundles.stage_archive(
                    self._policies, Path(self._private.name), self._approved, opa=self._opa, timeout=self._timeout
                )
            return self._verified
        if self._verified is None:
            if self._verification_key is None:
                raise EngineFailed(_("a bundle needs --verification-key: ketencheck does not run unsigned bundles"))
            self._private = tempfile.TemporaryDirectory(prefix="ketencheck-bundle-")
            self._verified = bundles.verify_into(
                self._opa, self._bundle, self._verification_key, Path(self._private.name), self._timeout
            )
        return self._verified

    def evaluate(self, request: Request) -> Evaluation:
        """All flows in one `opa eval`: the policies are parsed and compiled once, whatever the number of flows."""
        stdin = orjson.dumps(policy_input(request))
        value = self._eval(RESULT_QUERY, stdin)
        return parse_result(value, request, "opa")

    def rules(self) -> tuple[RuleInfo, ...]:
        """The rules' METADATA as `opa inspect` reads it from the policy files."""
        source = str(self._pack())
        done = _subprocess.run([self._opa, "inspect", "--annotations", "--format=json", source], timeout=self._timeout)
        if done.returncode != 0:
            raise EngineFailed(
                _("opa inspect exited with code {code}: {output}").format(
                    code=done.returncode, output=_subprocess.tail(done.stderr)
                )
            )
        try:
            output = json.loads(done.stdout)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise EngineOutputError(
                _("opa inspect wrote no JSON: {output}").format(output=_subprocess.tail(done.stdout))
            ) from exc
        if not isinstance(output, dict):
            raise EngineOutputError(_("opa inspect wrote JSON that is not an object"))
        rules = parse_rules(output.get("annotations", []), "opa inspect")
        return tuple(dataclasses.replace(r, file=self._pack_path(r.file, source)) for r in rules)

    def _pack_path(self, file: str, source: str) -> str:
        # A file's path in the pack as the policy directory names it (ketencheck/rules/...). opa names a file of an
        # archive from its root (/ketencheck/rules/...); a signed bundle's files keep that name, as they always did.
        if file.startswith(source):
            return os.path.relpath(file, source)
        if self._bundle is None and file.startswith("/" + bundles.ROOT_PACKAGE + "/"):
            return file[1:]
        return file

    def catalogue(self) -> Mapping[str, Any]:
        """The catalogue as the engine loaded it."""
        value = self._eval(CATALOGUE_QUERY, b"{}")
        if not isinstance(value, Mapping):
            raise EngineOutputError(_("opa returned no catalogue"))
        return value

    def ask(self, query: str, document: Mapping[str, Any]) -> Any:
        """Any query of the pack with the given input: what `ketencheck policy` asks of a pack besides verdicts."""
        return self._eval(query, orjson.dumps(document))

    def _check_policies(self) -> None:
        if not self._policies.is_dir():
            raise EngineFailed(_("policy pack not found at {policies}").format(policies=self._policies))

    def query(self, path: str, value: Any) -> Any:
        """The value of data.<path> (a/b/c) for one input."""
        return self._eval("data." + path.replace("/", "."), orjson.dumps(value))

    def revision(self) -> str | None:
        """The pack directory's revision (version+digest); None for a bundle, whose manifest says it."""
        return None if self._bundle is not None else bundles.revision(self._policies)

    def _eval(self, query: str, stdin: bytes, extra: list[str] | None = None) -> Any:
        # --format=raw writes the value as compact JSON (the wrapped, indented --format=json answer was twice the
        # size: 7.5 MB at 10,000 flows). Raw writes a string without quotes, so the query is wrapped in an object
        # to keep every value JSON; --fail turns an undefined query into exit 1 instead of no output, and errors go
        # to stderr with exit 2.
        wrapped = '{"result": ' + query + "}"
        args = [self._opa, "eval", "--format=raw", "--fail", "--stdin-input", *self._source(), *(extra or []), wrapped]
        env = opa_environment(len(stdin))
        done = _subprocess.run(args, stdin=stdin, timeout=self._timeout, env=env, stdout_to_file=True)
        if done.returncode < 0:
            raise EngineFailed(
                _("opa was killed by {signal} before it answered").format(signal=_signal(done.returncode))
            )
        if done.returncode == 1 and not done.stdout.strip():
            # An undefined query has no result: the pack is not what this version of ketencheck expects.
            raise EngineOutputError(_("opa gave no result for {query}: is the policy pack loaded?").format(query=query))
        if done.returncode == 2:
            raise EngineFailed(
                _("opa could not evaluate the policies: {errors}").format(errors=_opa_errors(done.stderr))
            )
        if done.returncode != 0:
            raise EngineFailed(
                _("opa exited with code {code}: {output}").format(
                    code=done.returncode, output=_subprocess.tail(done.stderr)
                )
            )
        try:
            output = orjson.loads(done.stdout)
        except orjson.JSONDecodeError as exc:
            if done.stdout_full:
                # The answer is cut where the disk filled, and opa still exits 0: say so, not "no JSON" with the
                # last 500 characters of a report.
                raise EngineFailed(
                    _(
                        "opa's answer did not fit in the temporary directory {directory}: its disk is full "
                        "(set TMPDIR to a directory with room)"
                    ).format(directory=tempfile.gettempdir())
                ) from exc
            raise EngineOutputError(
                _("opa wrote no JSON: {output}").format(output=_subprocess.tail(done.stdout))
            ) from exc
        if not isinstance(output, dict):
            raise EngineOutputError(_("opa wrote JSON that is not an object"))
        if "result" not in output:
            raise EngineOutputError(_("opa gave no result for {query}: is the policy pack loaded?").format(query=query))
        return output["result"]


def opa_environment(input_bytes: int, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The environment `opa eval` runs in for an input of this size: the memory settings above, unless the user's own.

    Public so that the benchmark's floor runs opa exactly as ketencheck does.
    """
    env = {**environ}
    # An empty GOMEMLIMIT is no limit of the user's: Go reads it as unset, so ketencheck's applies.
    if not env.get("GOMEMLIMIT"):
        env["GOMEMLIMIT"] = OPA_MEMORY_LIMIT
        if input_bytes <= RELAXED_GC_INPUT_BYTES and not env.get("GOGC"):
            env["GOGC"] = RELAXED_GOGC
    return env


def _signal(returncode: int) -> str:
    try:
        return f"signal {-returncode} ({signal.Signals(-returncode).name})"
    except ValueError:
        return f"signal {-returncode}"


def _opa_errors(stderr: bytes) -> str:
    # "N errors occurred:" then each error, a runtime error followed by opa's own "Traceback:" of Rego locations:
    # the errors are the message, the Rego stack is not.
    text = stderr.decode("utf-8", "replace")
    text = text.split("\nTraceback:", 1)[0].strip()
    return text[:1000] if text else _("(no output)")
