"""Issue 16 item 11: -q, `-` for standard input, and the options a repository always uses from a config file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import INTEGRAL, LAWFUL, report_json, run_cli, write

pytestmark = pytest.mark.opa

# A lawful flow that cites a basis its row does not list: a warning, not an error.
WARNED = LAWFUL.replace("[avg_6_1_c, vw_107_4, vv_7_1e]", "[avg_6_1_c, vw_107_4, vv_7_1e, avg_6_1_e]")


def test_quiet_prints_no_report_and_the_exit_code_is_the_verdict(tmp_path: Path, opa_binary: str) -> None:
    flows = write(tmp_path, "a.flow.yaml", INTEGRAL)
    done = run_cli("check", "-q", "--", str(flows))
    assert (done.returncode, done.stdout) == (1, "")
    report = tmp_path / "r.json"
    done = run_cli("check", "--quiet", "-f", f"json={report}", "--", str(flows))
    assert (done.returncode, done.stdout) == (1, "")
    assert report_json(report.read_text(encoding="utf-8"))["summary"]["denied"] == 1


def test_a_dash_reads_one_flow_file_from_standard_input(opa_binary: str) -> None:
    done = run_cli("check", "--format", "json", "-", stdin=INTEGRAL)
    assert done.returncode == 1, done.stderr
    [flow] = report_json(done.stdout)["flows"]
    assert (flow["file"], flow["verdict"]) == ("-", "deny")
    assert run_cli("check", "-q", "-", stdin=LAWFUL).returncode == 0


def test_standard_input_is_held_to_the_size_limit_and_read_once(opa_binary: str) -> None:
    done = run_cli("check", "--max-file-size", "100", "-", stdin=INTEGRAL)
    assert done.returncode == 2
    assert "standard input is over the limit of 100 bytes" in done.stdout + done.stderr
    twice = run_cli("check", "-", "-", stdin=LAWFUL)
    assert twice.returncode == 2
    assert "standard input named twice" in twice.stdout + twice.stderr


def test_the_project_config_sets_the_usual_options_and_the_command_line_wins(tmp_path: Path, opa_binary: str) -> None:
    write(tmp_path, "a.flow.yaml", WARNED)
    assert run_cli("check", "-q", "a.flow.yaml", cwd=tmp_path).returncode == 0
    write(tmp_path, ".ketencheck.yaml", "fail-on: warning\n")
    assert run_cli("check", "-q", "a.flow.yaml", cwd=tmp_path).returncode == 1
    assert run_cli("check", "-q", "--fail-on", "error", "a.flow.yaml", cwd=tmp_path).returncode == 0


def test_pyproject_tool_ketencheck_is_read_when_there_is_no_ketencheck_yaml(tmp_path: Path, opa_binary: str) -> None:
    write(tmp_path, "flows/a.flow.yaml", INTEGRAL)
    baseline = tmp_path / "baseline.json"
    assert run_cli("check", "-q", "--write-baseline", str(baseline), "flows", cwd=tmp_path).returncode == 0
    write(tmp_path, "pyproject.toml", '[tool.ketencheck]\nbaseline = "baseline.json"\n')
    done = run_cli("check", "--format", "json", "flows", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["summary"]["baselined"] == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bogus: 1\n", "unknown key(s) bogus"),
        ("fail-on: sometimes\n", "fail-on must be one of error, warning"),
        ("context: [1]\n", "context must be a path or a list of paths"),
        ("- a\n", "must be a mapping"),
    ],
)
def test_a_wrong_config_is_a_usage_error_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, ".ketencheck.yaml", text)
    done = run_cli("check", "a.flow.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert ".ketencheck.yaml" in done.stderr
    assert message in done.stderr


def test_the_baseline_a_config_names_is_first_written_by_write_baseline(tmp_path: Path, opa_binary: str) -> None:
    # The README's .ketencheck.yaml names a baseline that does not exist yet; the error tells the user to write it
    # with --write-baseline, which must then work rather than fail on the same missing file.
    write(tmp_path, "a.flow.yaml", INTEGRAL)
    write(tmp_path, ".ketencheck.yaml", "baseline: ketencheck-baseline.json\n")
    missing = run_cli("check", "-q", "a.flow.yaml", cwd=tmp_path)
    assert missing.returncode == 2
    assert "--write-baseline" in missing.stdout + missing.stderr
    first = run_cli("check", "-q", "--write-baseline", "ketencheck-baseline.json", "a.flow.yaml", cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert json.loads((tmp_path / "ketencheck-baseline.json").read_text(encoding="utf-8"))["findings"]
    # From then on the config's baseline is read: the recorded findings pass, a new one would not.
    assert run_cli("check", "-q", "a.flow.yaml", cwd=tmp_path).returncode == 0
    # A baseline named on the command line that does not exist is still an error, even when another is written.
    other = run_cli("check", "-q", "--baseline", "nope.json", "--write-baseline", "x.json", "a.flow.yaml", cwd=tmp_path)
    assert other.returncode == 2
