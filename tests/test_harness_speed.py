"""Shortcuts in the harness's own work give exactly what the long way gave."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

from checker import _subprocess, sanitize
from checker.engine.opa_cli import RELAXED_GC_INPUT_BYTES, OpaCliEngine
from checker.errors import EngineTimeout

TEXTS = [
    "",
    '{"a": "plain ascii"}',
    '{"a": "del \x7f here"}',
    '{"a": "caf\u00e9, no control"}',
    '{"a": "c1 \x85 and \x9f"}',
    '{"a": "line\u2028separator, bidi \u202e\u2066 and \u061c, marks \u200e\u200f"}',
    '{"a": "emoji \U0001f600 and \u2069"}',
]


@pytest.mark.parametrize("text", TEXTS)
def test_json_safe_escapes_what_the_substitution_escapes(text: str) -> None:
    expected = sanitize._JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    assert sanitize.json_safe(text) == expected
    assert "\x7f" not in sanitize.json_safe(text)


WRITER = "import sys; sys.stdout.buffer.write(bytes(range(256)) * 20000); sys.stderr.write('done')"


@pytest.mark.parametrize("to_file", [False, True])
def test_output_through_a_file_is_the_output_through_the_pipe(to_file: bool) -> None:
    done = _subprocess.run([sys.executable, "-c", WRITER], timeout=60, stdout_to_file=to_file)
    assert (done.returncode, done.stdout, done.stderr) == (0, bytes(range(256)) * 20000, b"done")


def test_without_a_writable_temporary_directory_the_output_comes_through_the_pipe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    done = _subprocess.run([sys.executable, "-c", WRITER], timeout=60, stdout_to_file=True)
    assert done.stdout == bytes(range(256)) * 20000


def test_a_timeout_with_output_to_a_file_is_still_a_timeout() -> None:
    with pytest.raises(EngineTimeout, match="did not finish within 0.5 s"):
        _subprocess.run([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5, stdout_to_file=True)


def _env_of_opa(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, document: object = None, **environ: str
) -> dict[str, str]:
    for name in ("GOMEMLIMIT", "GOGC"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    opa = tmp_path / "opa"
    opa.write_text(
        '#!/bin/sh\ncat >/dev/null\nprintf \'{"result": {"GOMEMLIMIT": "%s", "GOGC": "%s"}}\' "$GOMEMLIMIT" "$GOGC"\n'
    )
    opa.chmod(0o755)
    value = OpaCliEngine(str(opa)).query("x", document or {})
    assert isinstance(value, dict)
    return value


def test_opa_collects_less_often_for_a_small_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Less often, never off: a small input can still make the rules build a large heap.
    assert _env_of_opa(tmp_path, monkeypatch) == {"GOMEMLIMIT": "768MiB", "GOGC": "400"}
    large = {"flows": ["x" * 1000] * (RELAXED_GC_INPUT_BYTES // 1000)}
    assert _env_of_opa(tmp_path, monkeypatch, large) == {"GOMEMLIMIT": "768MiB", "GOGC": ""}


def test_the_users_go_settings_win(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _env_of_opa(tmp_path, monkeypatch, GOGC="50") == {"GOMEMLIMIT": "768MiB", "GOGC": "50"}
    # A limit of the user's own (perhaps none: "max") with collection switched off could grow without bound.
    assert _env_of_opa(tmp_path, monkeypatch, GOMEMLIMIT="max") == {"GOMEMLIMIT": "max", "GOGC": ""}


def test_an_empty_go_setting_is_not_the_users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Go reads GOMEMLIMIT= as unset: without ketencheck's limit opa would have none.
    assert _env_of_opa(tmp_path, monkeypatch, GOMEMLIMIT="", GOGC="") == {"GOMEMLIMIT": "768MiB", "GOGC": "400"}
