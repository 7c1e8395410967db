"""The command line. The only module that prints or exits."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from checker import __version__
from checker.errors import CheckerError, EngineError
from checker.model import ExitCode, Report, Severity

F = TypeVar("F", bound=Callable[..., Any])


def _fatal(message: str, code: ExitCode) -> NoReturn:
    click.echo(f"ketencheck: error: {message}", err=True)
    sys.exit(int(code))


def _guarded(command: F) -> F:
    # Every failure is one clear line and a non-zero exit, never a traceback (contract.md).
    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
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
            _fatal(f"internal error ({type(exc).__name__}: {exc}); nothing was checked", ExitCode.ENGINE_ERROR)

    return wrapper  # type: ignore[return-value]


_engine_options = [
    click.option("--opa", "opa_path", metavar="PATH", help="The opa binary (default: KETENCHECK_OPA, the venv, PATH)."),
    click.option(
        "--policies",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Policy pack directory (default: the bundled vreemdelingenketen pack).",
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=60.0,
        show_default=True,
        help="Seconds the engine may take before the run fails (exit 3).",
    ),
]


def engine_options(command: F) -> F:
    """The options every command that evaluates policies shares."""
    for option in reversed(_engine_options):
        command = option(command)
    return command


def _engine(opa_path: str | None, policies: Path | None, timeout: float) -> Any:
    from checker.engine.opa_cli import OpaCliEngine, find_opa

    return OpaCliEngine(find_opa(opa_path), policies, timeout)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ketencheck")
def main() -> None:
    """Check proposed data flows of the vreemdelingenketen against the need-to-know matrix and the AVG."""


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
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
    help="Write the report to FILE instead of standard output.",
)
@click.option("--color/--no-color", default=None, help="Colour the text format (default: when a terminal).")
@engine_options
@_guarded
def check(
    paths: tuple[str, ...],
    fmt: str,
    fail_on: str,
    output: Path | None,
    color: bool | None,
    opa_path: str | None,
    policies: Path | None,
    timeout: float,
) -> None:
    """Check flow files (and directories of *.flow.yaml|yml|json) against the policy pack.

    Exit codes: 0 every flow allowed, 1 a flow denied, 2 invalid input or usage, 3 engine failure.
    """
    from checker.format import FormatChoice
    from checker.loader import load

    loaded = load(paths)
    if loaded.flows:
        evaluation = _engine(opa_path, policies, timeout).evaluate(loaded.flows)
        report = Report.create(loaded.flows, evaluation.findings, loaded.errors, evaluation.engine)
    else:
        # Nothing valid to evaluate: the input errors alone decide (exit 2), without starting the engine.
        report = Report.create((), (), loaded.errors)
    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    text = FormatChoice(fmt).to_formatter(color=use_color).render(report)
    if output is None:
        click.echo(text, nl=False, color=use_color)
    else:
        output.write_text(text, encoding="utf-8")
    sys.exit(int(report.exit_code(Severity(fail_on))))


_TOPICS = ("partners", "documents", "fields", "purposes", "legal-bases", "matrix")


@main.command()
@click.argument("topic", type=click.Choice(_TOPICS), default="partners")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@engine_options
@_guarded
def catalogue(topic: str, fmt: str, opa_path: str | None, policies: Path | None, timeout: float) -> None:
    """List the ids a flow can use: partners, documents, fields, purposes, legal-bases or the matrix."""
    import json

    from checker.catalogue import render

    data = _engine(opa_path, policies, timeout).catalogue()
    section = data.get("matrix", {}).get("rows", []) if topic == "matrix" else data.get(topic.replace("-", "_"), {})
    if fmt == "json":
        click.echo(json.dumps(section, indent=2, ensure_ascii=False, sort_keys=True))
    else:
        click.echo(render(topic, section), nl=False)
