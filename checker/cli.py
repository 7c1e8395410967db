"""The command line. The only module that prints or exits."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import fields
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from checker import __version__, i18n
from checker._gc import paused_gc
from checker.engine import EngineChoice, EngineSettings
from checker.errors import CheckerError, EngineError, EngineTimeout, InputError
from checker.files import replace_file
from checker.format import FormatChoice
from checker.i18n import Lang, _
from checker.model import ExitCode, InvalidInput, Report, Severity
from checker.sanitize import printable

if TYPE_CHECKING:
    # Loaded lazily at run time: `ketencheck --help` and a run without flows stay fast.
    from checker.engine.interface import Engine
    from checker.loader import Limits
    from checker.run import RunRequest

F = TypeVar("F", bound=Callable[..., Any])


def _fatal(message: str, code: ExitCode) -> NoReturn:
    # Messages quote file names and values from the input: one line, no terminal escapes, in any CI log.
    click.echo(_("ketencheck: error: {message}").format(message=printable(message)), err=True)
    sys.exit(int(code))


def _guarded(command: F) -> F:
    # Every failure is one clear line and a non-zero exit, never a traceback (docs/contract.md).
    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with paused_gc():
                return command(*args, **kwargs)
        except EngineError as exc:
            _fatal(str(exc), ExitCode.ENGINE_ERROR)
        except CheckerError as exc:
            _fatal(str(exc), ExitCode.INPUT_ERROR)
        except OSError as exc:
            _fatal(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "), ExitCode.INPUT_ERROR)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence: report, never pass
            _fatal(
                _("internal error ({kind}: {problem}); nothing was checked").format(
                    kind=type(exc).__name__, problem=exc
                ),
                ExitCode.ENGINE_ERROR,
            )

    return wrapper  # type: ignore[return-value]


def _refuse_file_names_as_options(args: list[str], command: str) -> None:
    # pre-commit, xargs and `git ls-files | ...` put file names on the command line after the options. A committed
    # file named `--write-baseline=x.flow.json` or `--policies=evil.flow.yaml` would then be read as that option:
    # the findings vanish into a file, or another policy pack judges the flows. Before `--`, an argument that starts
    # with `-` is an option and never a path, so one that names an existing file is refused: it is either a file
    # name that belongs after `--`, or an attack. After `--`, every argument is a path.
    for arg in args:
        if arg == "--":
            return
        if arg.startswith("-") and arg != "-" and os.path.lexists(arg):
            raise click.UsageError(
                _(
                    "argument {quoted} starts with '-' and is also the name of a file; file names that start with "
                    "'-' must come after '--' (e.g. `{command} [OPTIONS] -- {arg}`) or be written as ./{arg}"
                ).format(quoted=repr(arg), command=command, arg=arg)
            )


class _Command(click.Command):
    """A command whose options can never come from a file name (see _refuse_file_names_as_options)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _refuse_file_names_as_options(args, ctx.command_path)
        return super().parse_args(ctx, args)


class _Group(click.Group):
    """A group whose commands and subgroups refuse file names as options."""

    command_class = _Command
    group_class = type


class _Seconds(click.ParamType[float]):
    """A number of seconds, finite and at least 0.1: nan and inf would turn the deadline off (exit 2, not 3)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, float):
            seconds = value
        else:
            try:
                seconds = float(value)
            except ValueError:
                self.fail(_("{value} is not a number of seconds").format(value=repr(value)), param, ctx)
        if not math.isfinite(seconds) or seconds < 0.1:
            self.fail(_("{value} is not a number of seconds from 0.1 on").format(value=repr(value)), param, ctx)
        return seconds


def _not_a_format(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    # conftest's -o is the output format: `-o json` would silently write a text report to a file named json.
    if value is not None and str(value) in {choice.value for choice in FormatChoice}:
        raise click.BadParameter(
            _(
                "'{value}' is a format name, not a file: use -f/--format {value} (and -o FILE to write it to a file)"
            ).format(value=value),
            ctx,
            param,
        )
    return value


def _check_opa_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    # A URL that does not parse (http://[::1, a port out of range) is a bad option, exit 2, not an internal
    # error. The value is not repeated: it may hold a password. What it must contain is the engine's to say.
    if value is None:
        return None
    from urllib.parse import urlsplit

    try:
        urlsplit(value).port  # noqa: B018 - parsing the port is the check
    except ValueError as exc:
        raise click.BadParameter(_("not a URL ({problem})").format(problem=exc), ctx, param) from None
    return value


_LANG_GIVEN = "ketencheck.lang"


def _use_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    # Eager, so that the command's own messages about its other options (and everything after) are in this
    # language. ctx.meta is shared with the subcommand: the main group's environment default must not undo it.
    if value is not None:
        i18n.use(Lang(value))
        ctx.meta[_LANG_GIVEN] = True
    return value


lang_option = click.option(
    "--lang",
    type=click.Choice([lang.value for lang in Lang]),
    is_eager=True,
    expose_value=False,
    callback=_use_lang,
    help="Language of everything ketencheck says: nl (Dutch) or en (English). Default: the locale, read as gettext "
    "does (LANGUAGE, LC_ALL, LC_MESSAGES, LANG): nl_NL.UTF-8 gives Dutch, anything else English.",
)


_engine_options = [
    click.option(
        "--engine",
        type=click.Choice([choice.value for choice in EngineChoice]),
        default=EngineChoice.LOCAL.value,
        show_default=True,
        help="local: the opa binary, one process per run; server: an OPA server's REST API (--opa-url).",
    ),
    click.option("--opa", "opa_path", metavar="PATH", help="The opa binary (default: KETENCHECK_OPA, the venv, PATH)."),
    click.option(
        "--policies",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Policy pack directory (default: KETENCHECK_POLICIES when set, else the bundled vreemdelingenketen "
        "pack; every report names the pack it used).",
    ),
    click.option(
        "--bundle",
        type=click.Path(dir_okay=False, path_type=Path),
        help="A signed policy bundle (ketencheck policy build) to evaluate instead of --policies; "
        "needs --verification-key.",
    ),
    click.option(
        "--verification-key",
        type=click.Path(dir_okay=False, path_type=Path),
        help="PEM public key the bundle's signature must verify against (tampered or unsigned: exit 3).",
    ),
    click.option(
        "--opa-url",
        metavar="URL",
        callback=_check_opa_url,
        help="The OPA server for --engine server, e.g. http://127.0.0.1:8181.",
    ),
    click.option(
        "--opa-token",
        envvar="KETENCHECK_OPA_TOKEN",
        metavar="TOKEN",
        help="Bearer token for the OPA server (better: the KETENCHECK_OPA_TOKEN environment variable).",
    ),
    click.option(
        "--timeout",
        type=_Seconds(),
        default=60.0,
        show_default=True,
        help="Seconds the whole run may take, reading the flows included, before it fails (exit 3).",
    ),
]
_ENGINE_KEYS = tuple(f.name for f in fields(EngineSettings))


class _Size(click.ParamType[int]):
    """A size in bytes: 50000000, 50MB, 64MiB."""

    name = "size"
    _UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "KIB": 2**10, "MIB": 2**20, "GIB": 2**30}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().upper()
        number = text.rstrip("KMGIB")
        unit = text[len(number) :]
        if not number.isdigit() or unit not in self._UNITS:
            self.fail(_("{value} is not a size such as 50MB or 64MiB").format(value=repr(value)), param, ctx)
        return int(number) * self._UNITS[unit]


def input_options(command: F) -> F:
    """Bounds on what one input file may cost, handed over as one Limits (documented in the README)."""
    from checker.loader import Limits

    defaults = Limits()

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        limits = Limits(kwargs.pop("max_file_size"), kwargs.pop("max_yaml_nodes"), kwargs.pop("max_depth"))
        return command(*args, limits=limits, **kwargs)

    options = [
        click.option(
            "--max-file-size",
            type=_Size(),
            default=defaults.max_bytes,
            show_default=True,
            help="Largest flow file read, in bytes (or 50MB, 64MiB); a larger one is an input error.",
        ),
        click.option(
            "--max-yaml-nodes",
            type=click.IntRange(min=1),
            default=defaults.max_nodes,
            show_default=True,
            help="Most YAML nodes built from one file, aliases expanded (stops alias bombs).",
        ),
        click.option(
            "--max-depth",
            type=click.IntRange(min=1, max=10_000),
            default=defaults.max_depth,
            show_default=True,
            help="Deepest nesting of lists and mappings in a flow file.",
        ),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def engine_options(command: F) -> F:
    """The options every command that evaluates policies shares, handed over as one EngineSettings."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {key: kwargs.pop(key) for key in _ENGINE_KEYS}
        settings = EngineSettings(**{**values, "engine": EngineChoice(values["engine"])})
        with _deadline(settings.timeout):
            return command(*args, engine_settings=settings, **kwargs)

    for option in reversed(_engine_options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def _named(option: Callable[[F], F]) -> str:
    def probe() -> None: ...

    params: list[click.Parameter] = getattr(option(probe), "__click_params__", [])  # type: ignore[arg-type]
    return str(params[0].name)


_PACK_KEYS = ("opa_path", "policies", "timeout")


def pack_options(command: F) -> F:
    """The engine options that make sense for a command that works on a local policy directory (policy build,
    lint, docs, index): --opa, --policies and --timeout, handed over as an EngineSettings for the local engine.
    --engine, --bundle, --verification-key, --opa-url and --opa-token would be accepted and ignored there."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        settings = EngineSettings(**{key: kwargs.pop(key) for key in _PACK_KEYS})
        with _deadline(settings.timeout):
            return command(*args, engine_settings=settings, **kwargs)

    for option in reversed([o for o in _engine_options if _named(o) in _PACK_KEYS]):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


_DEADLINE_GRACE = 0.5


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """--timeout bounds the whole run: reading and validating the flows as well as the engine.

    A timer signal raises EngineTimeout wherever the run is (a child process is killed by the subprocess
    module on the way out); _guarded turns it into exit 3. The timer allows _DEADLINE_GRACE more, so that an
    engine that hangs on its own is still reported by the engine's own timeout, which says what hung.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        # Signals reach only the main thread, and Windows has no interval timer: the engine's timeout remains.
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise EngineTimeout(
            _("the run took longer than --timeout {seconds} s; nothing was checked").format(seconds=f"{seconds:g}")
        )

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds + _DEADLINE_GRACE)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _engine(settings: EngineSettings) -> Engine:
    # Options that contradict each other are a usage error (exit 2) before any engine starts.
    problem = settings.engine.misuse(settings)
    if problem is not None:
        raise click.UsageError(problem)
    engine = settings.engine.to_engine(settings)
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(engine.close)
    return engine


def _starter(settings: EngineSettings) -> Callable[[], Engine]:
    """Starts the engine on first use, once: a run without valid flows never starts it, audit reuses it."""
    started: list[Engine] = []

    def start() -> Engine:
        if not started:
            started.append(_engine(settings))
        return started[0]

    return start


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ketencheck")
@lang_option
@click.pass_context
def main(ctx: click.Context) -> None:
    """Check proposed data flows of the vreemdelingenketen against the need-to-know matrix and the AVG.

    A repository's usual options for `check` (waivers, baseline, context, fail-on) can live in .ketencheck.yaml
    or pyproject.toml [tool.ketencheck] in the directory it runs in; options on the command line win.
    """
    from checker.project_config import check_defaults

    # The environment's language until a command's --lang says otherwise (issue 15).
    if not ctx.meta.get(_LANG_GIVEN):
        i18n.use(i18n.from_environment())
    try:
        _source, defaults = check_defaults(Path.cwd())
    except CheckerError as exc:
        _fatal(printable(str(exc)), ExitCode.INPUT_ERROR)
    if defaults:
        ctx.default_map = {"check": defaults}


@main.command()
@lang_option
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-f",
    "--format",
    "fmts",
    multiple=True,
    metavar="FORMAT[=FILE]",
    help="Output format: text for people, json (docs/contract.md), sarif (code scanning), junit (CI test reports), "
    "github (workflow annotations), markdown (a pull-request comment). Repeatable: FORMAT=FILE writes that report "
    "to FILE (e.g. --format sarif=ketencheck.sarif --format junit=junit.xml --format github), one evaluation, "
    "every report; at most one FORMAT without a file goes to standard output (or to --output). Default: text.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Print no report on standard output (report files named with FORMAT=FILE are still written): the exit "
    "code is the verdict; errors still go to standard error.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="Lowest severity that fails the run (exit 1).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=_not_a_format,
    help="Write the report to FILE instead of standard output.",
)
@click.option("--color/--no-color", default=None, help="Colour the text format (default: when a terminal).")
@click.option(
    "--waivers",
    "waivers_file",
    metavar="FILE",
    help="Waiver file: findings accepted one by one (ketencheck waiver add), with approver, DPIA and expiry.",
)
@click.option(
    "--baseline",
    "baseline_file",
    metavar="FILE",
    help="Accept for now the findings recorded in this baseline (matched by flow id, rule, the finding's subject "
    "and the flow's content): they stay visible as BASELINED but do not fail the run; new ones do, and entries "
    "that match nothing are reported as stale.",
)
@click.option(
    "--write-baseline",
    "write_baseline_file",
    metavar="FILE",
    help="Record every current finding in FILE; later runs with --baseline FILE report only new ones.",
)
@click.option(
    "--context",
    "context_paths",
    multiple=True,
    metavar="PATH",
    help="Flow files checked together with PATH... for the chain rules, but not reported (a pre-commit hook "
    "passes the staged files as PATH... and the repository as --context); a context flow downstream of PATH... "
    "is reported with its chain findings (provenance, aggregation).",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Evaluate as of this day (YYYY-MM-DD) instead of today: waiver expiry and the law in force cited, "
    "to reproduce a past run.",
)
@input_options
@engine_options
@_guarded
def check(
    paths: tuple[str, ...],
    fmts: tuple[str, ...],
    quiet: bool,
    fail_on: str,
    output: Path | None,
    color: bool | None,
    waivers_file: str | None,
    baseline_file: str | None,
    write_baseline_file: str | None,
    context_paths: tuple[str, ...],
    today: datetime.datetime | None,
    limits: Limits,
    engine_settings: EngineSettings,
) -> None:
    """Check flow files (and directories of *.flow.yaml|yml|json; `-` reads one flow file from stdin) against the
    policy pack.

    All flows named are checked together: chain rules (provenance, aggregation) look at the whole set.

    Exit codes: 0 every flow allowed, 1 a flow denied, 2 invalid input or usage, 3 engine failure.
    """
    from checker.run import RunRequest, run

    targets = _report_targets(fmts, output)
    request = RunRequest(
        paths,
        _starter(engine_settings),
        today.date() if today else datetime.date.today(),
        limits,
        context=context_paths,
        waivers_file=waivers_file,
        baseline_file=baseline_file,
        write_baseline_file=write_baseline_file,
        pack_source=engine_settings.pack_source(),
        rules=any(choice.needs_rules for choice, _ in targets),
    )
    try:
        report = run(request)
    except CheckerError as exc:
        # A CI job uploads its report files `if: always()`: a run that could not check still writes them, saying
        # why (SARIF executionSuccessful false with the error, a JUnit <error>), before the error and its exit.
        kind = "engine_error" if isinstance(exc, EngineError) else "input_error"
        failed = Report.create((), (), [InvalidInput("", None, _failure_text(exc), kind)])
        for choice, path in targets:
            if path is not None:
                replace_file(path, choice.to_formatter().render(failed))
        raise
    for choice, path in targets:
        use_color = color if color is not None else (path is None and sys.stdout.isatty())
        text = choice.to_formatter(color=use_color).render(report)
        if path is None:
            if not quiet:
                click.echo(text, nl=False, color=use_color)
        else:
            replace_file(path, text)
    sys.exit(int(report.exit_code(Severity(fail_on))))


def _report_targets(fmts: tuple[str, ...], output: Path | None) -> list[tuple[FormatChoice, Path | None]]:
    # conftest and trivy spell "this report to that file" FORMAT=FILE; a bare FORMAT goes to stdout, or to
    # --output as before. Two reports on one stream would be neither.
    names = ", ".join(choice.value for choice in FormatChoice)
    targets: list[tuple[FormatChoice, Path | None]] = []
    for value in fmts or ("text",):
        name, sep, file = value.partition("=")
        if name not in {choice.value for choice in FormatChoice}:
            raise click.BadParameter(
                _("{name} is not one of {names} (FORMAT or FORMAT=FILE)").format(name=repr(name), names=names),
                param_hint="--format",
            )
        if sep and not file:
            raise click.BadParameter(
                _("{value} names no file after '='").format(value=repr(value)), param_hint="--format"
            )
        targets.append((FormatChoice(name), Path(file) if sep else output))
    unnamed = [choice.value for choice, path in targets if path is None]
    if len(unnamed) > 1:
        raise click.BadParameter(
            _("{formats} would both go to standard output: give all but one a file (FORMAT=FILE)").format(
                formats=_(" and ").join(unnamed)
            ),
            param_hint="--format",
        )
    files = [path for _, path in targets if path is not None]
    if len(set(files)) != len(files):
        raise click.BadParameter(_("two reports would be written to the same file"), param_hint="--format")
    return targets


def _failure_text(exc: CheckerError) -> str:
    kind = _("engine failure (exit 3)") if isinstance(exc, EngineError) else _("input error (exit 2)")
    return _("nothing was checked: {kind}: {problem}").format(kind=kind, problem=exc)


@main.command()
@lang_option
@engine_options
@_guarded
def doctor(engine_settings: EngineSettings) -> None:
    """Show what ketencheck checks with: its version, Python, the OPA it finds (and whether it is the pinned one),
    the policy pack with its revision and source.

    Exit codes: 0 ketencheck can check, 3 something it needs is missing (the OPA, the policy pack).
    """
    from checker.doctor import diagnose

    diagnosis = diagnose(engine_settings)
    width = max(len(item.name) for item in diagnosis.items)
    for item in diagnosis.items:
        click.echo(f"{item.name:<{width}}  {printable(item.value)}")
        if item.note:
            click.echo(f"{'':<{width}}  " + _("warning: {note}").format(note=printable(item.note)))
        if item.problem:
            click.echo(f"{'':<{width}}  " + _("missing: {problem}").format(problem=printable(item.problem)))
    if not diagnosis.healthy:
        _fatal(_("ketencheck cannot check flows here: see 'missing' above"), ExitCode.ENGINE_ERROR)
    click.echo(_("ok: ketencheck can check flows here"))


_TOPICS = ("partners", "documents", "fields", "purposes", "legal-bases", "matrix")


@main.command()
@lang_option
@click.argument("topic", type=click.Choice(_TOPICS), required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--to", "to", metavar="PARTNER", help="matrix: only the rows for this recipient.")
@click.option("--document", metavar="DOCUMENT", help="matrix: only the rows for this document.")
@click.option("--purpose", metavar="PURPOSE", help="matrix: only the rows for this purpose.")
@engine_options
@_guarded
def catalogue(
    topic: str | None,
    fmt: str,
    to: str | None,
    document: str | None,
    purpose: str | None,
    engine_settings: EngineSettings,
) -> None:
    """List the ids a flow can use: partners, documents, fields, purposes, legal-bases or the matrix.

    Without a section, list the sections.
    """
    import json

    from checker.catalogue import matrix_rows, render, sections

    if topic is None:
        click.echo(sections(), nl=False)
        return
    if topic != "matrix" and (to or document or purpose):
        raise click.UsageError(_("--to, --document and --purpose filter the matrix only"))
    data = _engine(engine_settings).catalogue()
    if topic == "matrix":
        section: Any = matrix_rows(data.get("matrix", {}).get("rows", []), to, document, purpose)
    else:
        section = data.get(topic.replace("-", "_"), {})
    if fmt == "json":
        click.echo(json.dumps(section, indent=2, ensure_ascii=False, sort_keys=True))
    else:
        click.echo(render(topic, section, data), nl=False)


@main.command()
@lang_option
@click.argument("flow_id", metavar="FLOW_ID")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Evaluate as of this day (YYYY-MM-DD) instead of today, as for `check`.",
)
@click.option("--waivers", "waivers_file", metavar="FILE", help="Waiver file, as for `check`.")
@input_options
@engine_options
@_guarded
def explain(
    flow_id: str,
    paths: tuple[str, ...],
    fmt: str,
    today: datetime.datetime | None,
    waivers_file: str | None,
    limits: Limits,
    engine_settings: EngineSettings,
) -> None:
    """Explain the verdict on one flow: every rule evaluated, which fired, the matrix rows consulted, and the
    lawful alternative as YAML: the flow's own fields where the row admits them, else at most the fields the row
    admits (keep only what the task needs).

    PATH... are the flow files checked together with it, as for `check` (chain rules need the whole set).
    """
    import json

    from checker.explain import explain_document, render_explanation
    from checker.i18n import Lang
    from checker.messages import Texts
    from checker.model import FlowId
    from checker.run import RunRequest, run

    day = today.date() if today else datetime.date.today()
    wanted = FlowId(flow_id)
    report = run(RunRequest(paths, _starter(engine_settings), day, limits, waivers_file=waivers_file, explain=wanted))
    texts = Texts.of(report)
    if texts.lang is not Lang.EN and not texts.names:
        # Dutch names the ids by their names; a run that did not bring them along has the pack's catalogue.
        texts = Texts(texts.lang, _engine(engine_settings).catalogue().get("labels") or {})
    document = explain_document(report, wanted, texts)
    if fmt == "json":
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(render_explanation(document, texts), nl=False)
    if report.errors:
        # The chain rules saw only the valid part of the set: say so, and never exit 0.
        for error in report.errors:
            where = f"{error.file}:{error.line or ''}"
            click.echo(
                _("ketencheck: input error: {where}: {message}").format(
                    where=printable(where), message=printable(error.message)
                ),
                err=True,
            )
        sys.exit(int(ExitCode.INPUT_ERROR))
    sys.exit(int(ExitCode.DENIED if document["verdict"] == "deny" else ExitCode.OK))


@main.group()
@lang_option
def policy() -> None:
    """Work on the policy pack itself."""


@policy.command("lint")
@lang_option
@click.argument("files", nargs=-1, metavar="[FILE]...")
@pack_options
@_guarded
def policy_lint(files: tuple[str, ...], engine_settings: EngineSettings) -> None:
    """Check policy changes: `opa fmt` on the given .rego files, `opa check --strict` on the policy directory.

    The pre-commit hook `ketencheck-policy` runs this with the changed files. Exit 1 when anything is wrong.
    """
    from checker.engine.opa_cli import find_opa
    from checker.policy_lint import lint
    from checker.resources import policies_dir

    policies = engine_settings.policies or policies_dir()
    problems = lint(find_opa(engine_settings.opa_path), files, policies, engine_settings.timeout)
    for problem in problems:
        click.echo(printable(problem), err=True)
    if problems:
        sys.exit(int(ExitCode.DENIED))
    click.echo(
        _("policies clean: {count} file(s) formatted, {policies} compiles (--strict)").format(
            count=len(files), policies=policies
        )
    )


_PROGRESS_FILES = 50


def _run_with_progress(request: RunRequest) -> Report:
    """The run, with a progress bar on a terminal when there are many files; quiet in CI and pipes."""
    from checker.loader import discover
    from checker.run import run

    interactive = sys.stderr.isatty() and not os.environ.get("CI")

    def announce(flows: int) -> None:
        if interactive and flows >= 1000:
            click.echo(_("evaluating {count} flows on OPA ...").format(count=f"{flows:,}"), err=True)

    request = dataclasses.replace(request, on_evaluate=announce)
    files, _unread = discover(request.paths)
    if len(files) < _PROGRESS_FILES or not interactive:
        return run(request)
    with click.progressbar(length=len(files), label=_("reading flow files"), file=sys.stderr) as bar:
        return run(dataclasses.replace(request, on_file=lambda _: bar.update(1)))


@main.command()
@lang_option
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write report.html, report.md, register.xlsx, register.csv and register.json into "
    "(created if needed).",
)
@click.option("--waivers", "waivers_file", metavar="FILE", help="Waiver file, as for `check`.")
@click.option(
    "--register-config",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="YAML with the register's controllers: controllers: {ID: {name, contact, fg}}.",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Evaluate as of this day: waiver expiry and the law in force cited.",
)
@input_options
@engine_options
@_guarded
def audit(
    paths: tuple[str, ...],
    out_dir: Path,
    waivers_file: str | None,
    register_config: Path | None,
    today: datetime.datetime | None,
    limits: Limits,
    engine_settings: EngineSettings,
) -> None:
    """Audit a whole chain: a self-contained HTML report with the flow diagram and the partner x document
    matrix, the same as Markdown (Mermaid diagram), and the register of processing (AVG art. 30) as CSV and JSON.

    Exit codes as for `check`: the files are written in every case where the flows could be evaluated.
    """
    from checker.audit import html, markdown, register, view
    from checker.run import RunRequest

    day = today.date() if today else datetime.date.today()
    checked_at = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    config = register.load_config(register_config) if register_config else None
    engine = _starter(engine_settings)
    report = _run_with_progress(
        RunRequest(
            paths,
            engine,
            day,
            limits,
            waivers_file=waivers_file,
            pack_source=engine_settings.pack_source(),
            facts=True,
        )
    )
    chain = view.build(report, engine().catalogue(), paths, checked_at)
    if out_dir.is_symlink():
        # The directory is the user's; a link there may lead anywhere (the files in it are replaced, see below).
        raise InputError(
            _("--out {directory} is a symbolic link; name the directory it points to, or a new one").format(
                directory=out_dir
            )
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    generated = day.isoformat()
    written: dict[str, str | bytes] = {
        "report.html": html.render(chain, generated),
        "report.md": markdown.render(chain, generated),
        "register.xlsx": register.to_xlsx(chain, config),
        "register.csv": register.to_csv(chain, config),
        "register.json": register.to_json(chain, config),
    }
    for name, text in written.items():
        replace_file(out_dir / name, text)
    click.echo(
        _("audit of {count} flows written to {directory}/: {files}").format(
            count=len(report.results), directory=out_dir, files=", ".join(written)
        )
    )
    click.echo(_("open {file} in a browser").format(file=out_dir / "report.html"))
    sys.exit(int(report.exit_code()))


@main.group()
@lang_option
def waiver() -> None:
    """Accept findings accountably: waiver files (schemas/waivers.json)."""


@waiver.command("add")
@lang_option
@click.argument("flow_id", metavar="FLOW")
@click.argument("rule", metavar="RULE")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--justification", required=True, help="Why the finding is accepted for now (at least 20 characters).")
@click.option("--approver", required=True, help="The approving role, e.g. FG (DPO).")
@click.option(
    "--expires",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The last day the waiver applies (YYYY-MM-DD).",
)
@click.option("--dpia", required=True, help="Reference of the DPIA or FG decision that weighs the risk.")
@click.option(
    "--waivers",
    "waivers_file",
    default="ketencheck.waivers.yaml",
    show_default=True,
    metavar="FILE",
    help="The waiver file to append to (created when missing; version 2).",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Judge --expires as of this day (YYYY-MM-DD) instead of today; an expiry before it is refused.",
)
@input_options
@engine_options
@_guarded
def waiver_add(
    flow_id: str,
    rule: str,
    paths: tuple[str, ...],
    justification: str,
    approver: str,
    expires: datetime.datetime,
    dpia: str,
    waivers_file: str,
    today: datetime.datetime | None,
    limits: Limits,
    engine_settings: EngineSettings,
) -> None:
    """Accept the current finding of RULE on FLOW: evaluate PATH... (the whole chain, as for `check`) and append a
    waiver that names the finding and the flow's content (subject and digest) to the waiver file.

    Once the flow or the finding changes, the waiver no longer applies and is reported as stale. Findings that
    mean the flow could not be judged (unknown_reference) cannot be waived. What the file holds is left as it is:
    the entry is appended.
    """
    from checker.loader import Loaded
    from checker.run import RunRequest, run
    from checker.waivers import append_waivers, canonical, load_waivers, refuse_link, waiver_entry

    refuse_link(waivers_file)
    day = today.date() if today else datetime.date.today()
    if expires.date() < day:
        raise click.BadParameter(_("{day} has passed").format(day=expires.date().isoformat()), param_hint="--expires")

    def admit(loaded: Loaded) -> None:
        if loaded.errors:
            problems = "".join(f"\n  {e.file}:{e.line or ''}: {e.message}" for e in loaded.errors)
            raise InputError(
                _("the flows must be valid to find the finding to waive:{problems}").format(problems=problems)
            )
        if not any(flow.id == flow_id for flow in loaded.flows):
            raise InputError(_("no flow with id '{flow}' in {paths}").format(flow=flow_id, paths=", ".join(paths)))

    report = run(RunRequest(paths, _starter(engine_settings), day, limits, admit=admit))
    findings = [f for r in report.results if r.flow.id == flow_id for f in r.findings]
    found = [f for f in findings if f.rule == rule]
    if not found:
        rules = sorted({f.rule for f in findings})
        known = _("; its findings: {rules}").format(rules=", ".join(rules)) if rules else _("; it has no findings")
        _fatal(
            _("flow '{flow}' has no finding of {rule}: nothing to waive{known}").format(
                flow=flow_id, rule=rule, known=known
            ),
            ExitCode.INPUT_ERROR,
        )
    if not all(f.waivable for f in found):
        _fatal(
            _(
                "{rule} cannot be waived: it means the flow could not be judged, and the gate never passes what it "
                "could not check; correct the flow instead"
            ).format(rule=rule),
            ExitCode.INPUT_ERROR,
        )
    if Path(waivers_file).exists():
        present = {(w.flow, w.rule, canonical(w.subject), w.digest): w.line for w in load_waivers(waivers_file, limits)}
        for f in found:
            line = present.get((f.flow, f.rule, canonical(dict(f.subject)), f.digest))
            if line is not None:
                _fatal(
                    _("{file}:{line}: this finding is already waived").format(file=waivers_file, line=line),
                    ExitCode.INPUT_ERROR,
                )
    entries = [waiver_entry(f, justification, approver, expires.date(), dpia) for f in found]
    lines = append_waivers(waivers_file, entries, limits)
    for f, line in zip(found, lines, strict=True):
        click.echo(
            _("waived {rule} on {flow} until {day} in {file} (line {line}): subject {subject}, {digest}").format(
                rule=rule,
                flow=flow_id,
                day=expires.date().isoformat(),
                file=waivers_file,
                line=line,
                subject=canonical(dict(f.subject)),
                digest=f.digest,
            )
        )


@policy.command("docs")
@lang_option
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the page to FILE (default: stdout)."
)
@click.option(
    "--readme",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Instead of the page, regenerate the table of rules in FILE (the README), between the markers "
    "<!-- rules:start --> and <!-- rules:end -->.",
)
@pack_options
@_guarded
def policy_docs(output: Path | None, readme: Path | None, engine_settings: EngineSettings) -> None:
    """Render every rule's METADATA (read with `opa inspect`) as one Markdown page, for review by non-programmers."""
    from checker.law import resolve_rules
    from checker.policy_docs import render, with_readme_table

    if readme is not None:
        if output is not None:
            raise click.UsageError(_("give -o/--output or --readme, not both"))
        text = readme.read_text(encoding="utf-8")
        replace_file(readme, with_readme_table(text, _engine(engine_settings).rules(), str(readme)))
        return

    engine = _engine(engine_settings)
    catalogue = engine.catalogue()
    pack = catalogue.get("pack", {})
    # The page documents the pack, not a run: it cites the law as of the pack's catalogue date, not the clock.
    day = datetime.date.fromisoformat(str(pack.get("catalogue_date", datetime.date.today().isoformat())))
    text = render(resolve_rules(engine.rules(), catalogue.get("law", {}), day), pack, catalogue)
    if output is None:
        click.echo(text, nl=False)
    else:
        replace_file(output, text)


@policy.command("index")
@lang_option
@pack_options
@_guarded
def policy_index(engine_settings: EngineSettings) -> None:
    """Rebuild the pack's catalogue index (catalogue/index/data.json) after editing the catalogue.

    The rules read the index instead of rebuilding it on every query. A pack whose index is out of step is
    rebuilt in ketencheck's private copy on every run anyway; this writes it into the pack, for review and speed.
    """
    from checker import pack_index
    from checker.engine.opa_cli import find_opa
    from checker.resources import policies_dir

    policies = engine_settings.policies or policies_dir()
    if not pack_index.uses_index(policies):
        raise InputError(
            _("{policies}: this pack has no catalogue index ({builder} is missing)").format(
                policies=policies, builder=pack_index.BUILDER
            )
        )
    target = pack_index.write(find_opa(engine_settings.opa_path), policies, engine_settings.timeout)
    click.echo(_("wrote {file}").format(file=target))


@policy.command("build")
@lang_option
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Bundle file to write."
)
@click.option(
    "--signing-key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="PEM private key (RS256) to sign the bundle with; check verifies it with the public key.",
)
@click.option(
    "--approved",
    "approved_paths",
    multiple=True,
    metavar="PATH",
    help="Flow files whose flows the decision API may see as approved (data.ketencheck.approved); each must be "
    "allowed by check. Repeat for more files.",
)
@input_options
@pack_options
@_guarded
def policy_build(
    out: Path, signing_key: Path | None, approved_paths: tuple[str, ...], limits: Any, engine_settings: EngineSettings
) -> None:
    """Build an OPA bundle of the policies and catalogue (tests left out), with a revision, optionally signed.

    The revision is the pack's version and a digest of its files; every report records it.
    """
    from checker.bundle import build
    from checker.engine.opa_cli import find_opa
    from checker.resources import policies_dir

    policies = engine_settings.policies or policies_dir()
    approved = _approved(approved_paths, limits, engine_settings) if approved_paths else None
    revision = build(find_opa(engine_settings.opa_path), policies, out, signing_key, engine_settings.timeout, approved)
    signed = (
        _("wrote {file} (revision {revision}, signed)")
        if signing_key
        else _("wrote {file} (revision {revision}, unsigned)")
    )
    click.echo(signed.format(file=out, revision=revision))


def _approved_flows(paths: tuple[str, ...], limits: Any, engine_settings: EngineSettings) -> tuple[Any, ...]:
    # Approved means: valid, and allowed by check as one set (the chain rules included).
    from checker.decide import refuse_denied
    from checker.engine.interface import Request
    from checker.loader import load

    loaded = load(paths, limits)
    if loaded.errors:
        first = loaded.errors[0]
        _fatal(f"{first.file}:{first.line or 1}: {first.message}", ExitCode.INPUT_ERROR)
    evaluation = _engine(dataclasses.replace(engine_settings, engine=EngineChoice.LOCAL, opa_url=None)).evaluate(
        Request(loaded.flows)
    )
    refuse_denied(loaded.flows, evaluation.findings)
    return loaded.flows


def _approved(paths: tuple[str, ...], limits: Any, engine_settings: EngineSettings) -> dict[str, Any]:
    from checker.decide import approved_data

    return approved_data(_approved_flows(paths, limits, engine_settings))


@main.command()
@lang_option
@click.option("--input", "input_file", type=click.File("r", encoding="utf-8"), help="JSON exchange (default: stdin).")
@click.option("--from", "sender", metavar="PARTNER", help="Sender (instead of JSON on stdin).")
@click.option("--to", "recipient", metavar="PARTNER", help="Recipient.")
@click.option("--document", metavar="TYPE", help="Document type.")
@click.option("--form", type=click.Choice(["integral", "extract"]), help="integral, or extract of --field.")
@click.option("--field", "fields", multiple=True, metavar="FIELD", help="A field present in the message (repeat).")
@click.option("--purpose", metavar="PURPOSE", help="Purpose id.")
@click.option("--basis", "bases", multiple=True, metavar="BASIS", help="A cited legal basis (repeat).")
@click.option("--channel", metavar="CHANNEL", help="Channel id.")
@click.option("--flow-id", metavar="FLOW", help="The approved flow the exchange is sent as.")
@click.option("--processing-activity-id", metavar="ID", help="The register's processing activity id (audit).")
@click.option("--trace-id", metavar="ID", help="Trace id for the decision log.")
@click.option("--traceparent", metavar="HEADER", help="W3C traceparent; its trace id is logged.")
@click.option("--request-id", metavar="ID", help="The caller's request id.")
@click.option(
    "--approved",
    "approved_paths",
    multiple=True,
    metavar="PATH",
    help="Approved flow files for --engine local (a server has them in its bundle: policy build --approved).",
)
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="Evaluate as of this day (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@input_options
@engine_options
@_guarded
def decide(
    input_file: Any,
    sender: str | None,
    recipient: str | None,
    document: str | None,
    form: str | None,
    fields: tuple[str, ...],
    purpose: str | None,
    bases: tuple[str, ...],
    channel: str | None,
    flow_id: str | None,
    processing_activity_id: str | None,
    trace_id: str | None,
    traceparent: str | None,
    request_id: str | None,
    approved_paths: tuple[str, ...],
    today: datetime.datetime | None,
    fmt: str,
    limits: Any,
    engine_settings: EngineSettings,
) -> None:
    """Decide one exchange at run time: may this message go? JSON on stdin (native or AuthZEN 1.0) or flags.

    Exit codes as check: 0 allow, 1 deny, 2 invalid input or usage, 3 engine failure. Anything but 0 means:
    do not send (docs/decision-api.md).
    """
    from checker import decide as decisions

    day = today.date().isoformat() if today else None
    exchange = {
        "from": sender, "to": recipient, "document": document, "form": form, "fields": fields,
        "purpose": purpose, "legal_basis": bases, "channel": channel,
    }  # fmt: skip
    context = {
        "flow_id": flow_id, "processing_activity_id": processing_activity_id, "trace_id": trace_id,
        "traceparent": traceparent, "request_id": request_id,
    }  # fmt: skip
    if any(v for v in exchange.values()):
        if input_file is not None:
            raise click.UsageError(_("give the exchange as flags or as JSON (--input / stdin), not both"))
        question = decisions.from_flags(exchange, context, day)
    else:
        if any(context.values()):
            raise click.UsageError(_("context flags need the exchange as flags (--from, --to, ...)"))
        question = decisions.parse((input_file or click.get_text_stream("stdin")).read(), day)
    if approved_paths and engine_settings.engine is EngineChoice.SERVER:
        raise click.UsageError(_("--approved is for --engine local; a server has its approved flows in its bundle"))
    approved = _approved_flows(approved_paths, limits, engine_settings) if approved_paths else ()
    answer = decisions.evaluate(_engine(engine_settings), question, approved)
    click.echo(decisions.text(question, answer) if fmt == "text" else json.dumps(answer, indent=2, ensure_ascii=False))
    sys.exit(int(ExitCode.OK if decisions.allowed(question, answer) else ExitCode.DENIED))


# `policy exposure`, `policy verify` and `policy diff`: what the pack itself allows (checker/pack/).
def _local_engine(settings: EngineSettings, directory: Path) -> Any:
    if settings.engine is not EngineChoice.LOCAL or settings.opa_url:
        raise click.UsageError(_("the policy analyses run the local opa on a pack directory, bundle or revision"))
    return _engine(dataclasses.replace(settings, policies=directory, bundle=None, verification_key=None))


def _pack_side(settings: EngineSettings, name: str | None) -> Any:
    from checker.engine.opa_cli import find_opa
    from checker.pack.source import Workspace, resolve
    from checker.resources import policies_dir

    workspace = Workspace()
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(workspace.close)
    opa = find_opa(settings.opa_path)
    if name is None and settings.bundle is not None:
        name = str(settings.bundle)
    if name is None:
        directory = settings.policies or policies_dir()
        return workspace.directory(str(directory), directory)
    return resolve(workspace, opa, name, settings.policies, settings.verification_key, settings.timeout)


_PACK_FORMATS = ("text", "json", "markdown")


@policy.command("exposure")
@lang_option
@click.option("--partner", "partners", multiple=True, metavar="P", help="Only this partner (repeatable).")
@click.option("--format", "fmt", type=click.Choice(_PACK_FORMATS), default="text", show_default=True)
@engine_options
@_guarded
def policy_exposure(partners: tuple[str, ...], fmt: str, engine_settings: EngineSettings) -> None:
    """What each partner can end up holding under the pack, over any chain of flows it allows, with a shortest
    witness chain for each (document, field)."""
    from checker.pack import analysis, exposure

    side = _pack_side(engine_settings, None)
    result = analysis.run(_local_engine(engine_settings, side.directory))
    unknown = [p for p in partners if p not in result.partners]
    if unknown:
        raise click.BadParameter(
            _("{partners}: not a partner of this pack").format(partners=", ".join(unknown)), param_hint="--partner"
        )
    selected = exposure.groups(result, partners or None)
    render = {"text": exposure.render_text, "json": exposure.render_json, "markdown": exposure.render_markdown}
    click.echo(render[fmt](result, selected), nl=False)


@policy.command("verify")
@lang_option
@click.option("--format", "fmt", type=click.Choice(_PACK_FORMATS), default="text", show_default=True)
@engine_options
@_guarded
def policy_verify(fmt: str, engine_settings: EngineSettings) -> None:
    """Check every invariant of the catalogue against the exposure, and every matrix row against the pack's row
    checks. Each violation comes with its witness: flows to paste into a flow file. Exit 1 on a violation."""
    from checker.pack import analysis, verify

    side = _pack_side(engine_settings, None)
    result = verify.verify(analysis.run(_local_engine(engine_settings, side.directory)))
    render = {"text": verify.render_text, "json": verify.render_json, "markdown": verify.render_markdown}
    click.echo(render[fmt](result), nl=False)
    sys.exit(int(ExitCode.DENIED if result.failed else ExitCode.OK))


@policy.command("diff")
@lang_option
@click.argument("base", metavar="BASE")
@click.argument("head", metavar="[HEAD]", required=False)
@click.option(
    "--flows", "flow_paths", multiple=True, metavar="PATH", help="Flow files: list those whose verdict changes."
)
@click.option("--allow-widening", is_flag=True, help="Exit 0 even when the change widens what the pack allows.")
@click.option("--format", "fmt", type=click.Choice(_PACK_FORMATS), default="text", show_default=True)
@input_options
@engine_options
@_guarded
def policy_diff(
    base: str,
    head: str | None,
    flow_paths: tuple[str, ...],
    allow_widening: bool,
    fmt: str,
    limits: Any,
    engine_settings: EngineSettings,
) -> None:
    """Compare two packs cell by cell (BASE and HEAD: a pack directory, a bundle or a git revision of the policies
    directory; HEAD defaults to the working pack): every widening and narrowing, the change in exposure and in
    invariants, and with --flows the flows whose verdict changes. Exit 1 when anything widens."""
    from checker.pack import diff

    loaded = None
    if flow_paths:
        from checker.loader import load

        loaded = load(flow_paths, limits)
        if loaded.errors:
            problems = "".join(f"\n  {e.file}:{e.line or ''}: {e.message}" for e in loaded.errors)
            _fatal(
                _("the flows must be valid to compare verdicts:{problems}").format(problems=problems),
                ExitCode.INPUT_ERROR,
            )
    sides = [_pack_side(engine_settings, base), _pack_side(engine_settings, head)]
    engines = [_local_engine(engine_settings, side.directory) for side in sides]
    result = diff.compare(sides[0].label, sides[1].label, engines, loaded.flows if loaded else ())
    render = {"text": diff.render_text, "json": diff.render_json, "markdown": diff.render_markdown}
    click.echo(render[fmt](result), nl=False)
    sys.exit(int(ExitCode.DENIED if result.widens and not allow_widening else ExitCode.OK))
