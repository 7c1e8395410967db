"""Issue 15, items 2 and 4: --lang on every command, the locale as the default, and the command line's own words
(usage, input and engine errors) in Dutch, through the real CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from checker import cli, i18n, loader
from checker.i18n import Lang
from tests.conftest import ROOT, run_cli, write

DUTCH = {"LANG": "nl_NL.UTF-8"}

# Neither of these can be checked: a YAML syntax error, and a flow the schema refuses.
BROKEN_YAML = "version: 1\nflows:\n  - id: a\n    purpose: [einde_opvang\n"
NO_FIELDS = """\
version: 1
flows:
  - id: ind-coa-zonder-velden
    from: IND
    to: COA
    document: beschikking_afwijzend
    form: extract
    purpose: einde_opvang
    legal_basis: [avg_6_1_c]
"""


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(cli.main))


def test_the_walk_finds_every_command() -> None:
    assert {("check",), ("audit",), ("decide",), ("waiver", "add"), ("policy", "diff"), ("policy", "docs")} <= set(
        COMMANDS
    )
    assert len(COMMANDS) >= 17


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "ketencheck")
def test_every_command_takes_lang(path: tuple[str, ...]) -> None:
    shown = CliRunner().invoke(cli.main, [*path, "--lang", "nl", "--help"])
    assert shown.exit_code == 0, shown.output
    assert "--lang [en|nl]" in shown.output
    refused = CliRunner().invoke(cli.main, [*path, "--lang", "fr", "--help"])
    assert refused.exit_code == 2


def _broken(tmp_path: Path) -> list[str]:
    return [str(write(tmp_path, "kapot.flow.yaml", BROKEN_YAML)), str(write(tmp_path, "leeg.flow.yaml", NO_FIELDS))]


def test_the_locale_selects_dutch_and_lang_overrides_it(tmp_path: Path) -> None:
    files = _broken(tmp_path)
    dutch = run_cli("check", *files, env=DUTCH)
    assert dutch.returncode == 2, dutch.stderr
    assert "ongeldige YAML: " in dutch.stdout
    assert "flows[0].fields: verplicht als form extract (uittreksel) is" in dutch.stdout
    english = run_cli("check", "--lang", "en", *files, env=DUTCH)
    assert english.returncode == 2
    assert "invalid YAML: " in english.stdout
    assert "flows[0].fields: required when form is extract" in english.stdout
    # Without a Dutch locale, English as before.
    assert run_cli("check", *files).stdout == english.stdout


def test_a_bad_flow_file_is_an_input_error_in_dutch(tmp_path: Path) -> None:
    done = run_cli("check", "--lang", "nl", "--format", "json", *_broken(tmp_path))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "ongeldige YAML: " in done.stdout and "verplicht als form extract" in done.stdout
    missing = run_cli("check", "--lang", "nl", str(tmp_path / "weg.flow.yaml"))
    assert missing.returncode == 2
    assert "bestand of map bestaat niet" in missing.stdout


def test_an_engine_failure_is_exit_3_in_dutch(tmp_path: Path) -> None:
    gone = tmp_path / "geen-opa"
    done = run_cli("check", "--lang", "nl", "--opa", str(gone), str(ROOT / "examples" / "seed"))
    assert done.returncode == 3
    assert done.stdout == ""
    assert done.stderr == f"ketencheck: fout: {gone}: niet gevonden\n"


def test_an_opa_that_answers_nonsense_is_reported_in_dutch(tmp_path: Path) -> None:
    opa = write(tmp_path, "bin/opa", "#!/bin/sh\ncat >/dev/null; echo 'garbage'\n")
    opa.chmod(0o755)
    done = run_cli("check", "--opa", str(opa), str(ROOT / "examples" / "seed"), env=DUTCH)
    assert done.returncode == 3
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("ketencheck: fout: "), done.stderr


def test_lang_is_eager_so_the_commands_own_usage_errors_follow_it(tmp_path: Path) -> None:
    # --lang after the option it should explain: the command's own words are still Dutch (click's frame is
    # click's: "Error: Invalid value for", from click's own gettext domain).
    done = run_cli("check", "--timeout", "nan", "--lang", "nl", str(tmp_path))
    assert done.returncode == 2
    assert "'nan' is geen aantal seconden vanaf 0.1" in done.stderr
    clash = run_cli("check", "--lang", "nl", "--format", "text", "--format", "json", str(tmp_path))
    assert clash.returncode == 2
    assert "text en json zouden allebei naar de standaarduitvoer gaan" in clash.stderr


def test_the_subcommands_lang_wins_over_the_main_groups(tmp_path: Path) -> None:
    files = _broken(tmp_path)
    assert "ongeldige YAML" in run_cli("--lang", "nl", "check", *files).stdout
    assert "invalid YAML" in run_cli("--lang", "nl", "check", "--lang", "en", *files, env=DUTCH).stdout


def test_the_project_config_may_set_the_language(tmp_path: Path) -> None:
    files = _broken(tmp_path)
    write(tmp_path, ".ketencheck.yaml", "lang: nl\n")
    assert "ongeldige YAML" in run_cli("check", *files, cwd=tmp_path).stdout
    assert "invalid YAML" in run_cli("check", "--lang", "en", *files, cwd=tmp_path).stdout
    write(tmp_path, ".ketencheck.yaml", "lang: fr\n")
    refused = run_cli("check", *files, cwd=tmp_path)
    assert refused.returncode == 2
    assert "lang must be one of en, nl" in refused.stderr


def test_doctor_says_what_is_missing_in_dutch(tmp_path: Path) -> None:
    done = run_cli("doctor", "--lang", "nl", "--opa", str(tmp_path / "geen-opa"))
    assert done.returncode == 3
    assert "opa niet gevonden: ketencheck heeft Open Policy Agent v" in done.stdout
    assert "ontbreekt: " in done.stdout
    assert (
        done.stderr
        == "ketencheck: fout: ketencheck kan hier geen verstrekkingen controleren: zie 'ontbreekt' hierboven\n"
    )


def test_the_parallel_readers_write_in_the_runs_language(tmp_path: Path) -> None:
    # Past loader.PARALLEL_FROM_FILES the files are read in worker processes: each is told the language.
    empty = write(tmp_path, "leeg.flow.yaml", "\n")
    _, errors = loader._load_file_args((str(empty), empty, loader.Limits(), Lang.NL))
    assert [e.message for e in errors] == ["bestand is leeg"]
    assert i18n.current() is Lang.NL


def test_english_is_the_default_whatever_the_machine() -> None:
    # conftest's autouse fixture: a developer with LANG=nl_NL.UTF-8 sees the same English goldens.
    assert i18n.current() is Lang.EN
    assert i18n.from_environment() is Lang.EN


@pytest.mark.opa
def test_a_waivers_status_is_reported_in_dutch(opa_binary: str) -> None:
    # The waiver's status is read when the report is rendered (checker/model.py): after its expiry, in Dutch.
    waivers = str(ROOT / "examples" / "waivers" / "gemeente.waivers.yaml")
    args = ["check", "--today", "2099-01-01", "--waivers", waivers, str(ROOT / "examples")]
    dutch = run_cli(*args, "--lang", "nl")
    english = run_cli(*args)
    assert dutch.returncode == english.returncode == 1
    assert "waiver for aggregation_purpose_separation on coa-gemeente-huisvesting expired on" in english.stdout
    assert "ontheffing voor aggregation_purpose_separation op coa-gemeente-huisvesting is verlopen op" in (dutch.stdout)
