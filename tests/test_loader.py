from __future__ import annotations

from pathlib import Path

import pytest

from checker.loader import Limits, load
from tests.conftest import INTEGRAL, LAWFUL, write


def _errors(tmp_path: Path, *names: str) -> list[tuple[str, int | None, str]]:
    loaded = load([str(tmp_path / n) for n in names])
    return [(Path(e.file).name, e.line, e.message) for e in loaded.errors]


def test_flows_carry_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.flow.yaml", LAWFUL + INTEGRAL.split("flows:\n")[1])
    loaded = load([str(path)])
    assert loaded.errors == ()
    assert [(f.id, f.file, f.line, f.index) for f in loaded.flows] == [
        ("ind-coa-einde-opvang", str(path), 3, 0),
        ("ind-coa-integraal", str(path), 12, 1),
    ]


def test_directories_are_searched_for_flow_files_only(tmp_path: Path) -> None:
    write(tmp_path, "sub/a.flow.yaml", LAWFUL)
    write(tmp_path, "sub/deeper/b.flow.yml", INTEGRAL)
    write(tmp_path, "sub/notes.yaml", "not: a flow file")
    loaded = load([str(tmp_path)])
    assert loaded.errors == ()
    assert sorted(Path(f.file).name for f in loaded.flows) == ["a.flow.yaml", "b.flow.yml"]


def test_a_named_file_is_checked_whatever_its_name(tmp_path: Path) -> None:
    path = write(tmp_path, "flows.txt", LAWFUL)
    assert len(load([str(path)]).flows) == 1


def test_a_schema_error_names_file_line_and_key_and_spares_the_other_flows(tmp_path: Path) -> None:
    broken = LAWFUL + INTEGRAL.split("flows:\n")[1].replace("    form: integral\n", "    form: extract\n")
    path = write(tmp_path, "a.flow.yaml", broken)
    loaded = load([str(path)])
    assert [f.id for f in loaded.flows] == ["ind-coa-einde-opvang"]
    assert [(e.line, e.message) for e in loaded.errors] == [(12, "flows[1].fields: required when form is extract")]


def test_an_unknown_key_is_reported_on_its_own_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.flow.yaml", LAWFUL.replace("    purpose:", "    recipient: COA\n    purpose:"))
    (error,) = load([str(path)]).errors
    assert error.line == 9
    assert error.message.startswith("flows[0].recipient: unknown key")


def test_a_duplicate_flow_id_across_files_keeps_the_first(tmp_path: Path) -> None:
    write(tmp_path, "a.flow.yaml", LAWFUL)
    write(tmp_path, "b.flow.yaml", LAWFUL)
    loaded = load([str(tmp_path)])
    assert [Path(f.file).name for f in loaded.flows] == ["a.flow.yaml"]
    (error,) = loaded.errors
    assert Path(error.file).name == "b.flow.yaml"
    assert error.line == 3
    assert "duplicate flow id 'ind-coa-einde-opvang' (first defined at" in error.message


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (LAWFUL.replace("    to: COA\n", "    to: COA\n    to: DTV\n"), 6, "duplicate key 'to'"),
        ("version: 1\nflows: [\n", 3, "invalid YAML"),
        ("", None, "file is empty"),
        ("version: 1\nflows: !!python/object:os.system {}\n", 2, "unsupported YAML tag"),
        ("version: 1\nflows: !!python/object/apply:os.system [ls]\n", 2, "unsupported YAML tag"),
        (b"\x00\x01binary", None, "binary file"),
        (b"version: 1\nflows: \xff\n", 2, "not UTF-8 text"),
        ("---\nversion: 1\n---\nversion: 1\n", 3, "invalid YAML"),
        ("flows:\n  - &a {id: x}\n  - <<: *a\n", 3, "merge keys"),
    ],
)
def test_broken_files_get_one_clear_message(
    tmp_path: Path, content: str | bytes, line: int | None, message: str
) -> None:
    write(tmp_path, "a.flow.yaml", content)
    ((name, got_line, got_message),) = _errors(tmp_path, "a.flow.yaml")
    assert name == "a.flow.yaml"
    assert got_line == line
    assert message in got_message


def test_an_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    write(tmp_path, "bomb.flow.yaml", "\n".join(lines) + "\n")
    ((_, _, message),) = _errors(tmp_path, "bomb.flow.yaml")
    assert "YAML nodes (aliases expanded)" in message


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "deep.flow.yaml", "version: 1\nflows: " + "[" * 200 + "]" * 200 + "\n")
    ((_, _, message),) = _errors(tmp_path, "deep.flow.yaml")
    assert "nested deeper than" in message


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = write(tmp_path, "big.flow.yaml", LAWFUL)
    (error,) = load([str(path)], Limits(max_bytes=10)).errors
    assert "over the limit of 10" in error.message


def test_bom_and_crlf_are_fine(tmp_path: Path) -> None:
    path = write(tmp_path, "a.flow.yaml", b"\xef\xbb\xbf" + LAWFUL.replace("\n", "\r\n").encode())
    loaded = load([str(path)])
    assert loaded.errors == ()
    assert loaded.flows[0].line == 3


def test_missing_paths_and_empty_directories_are_input_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    loaded = load([str(tmp_path / "nope.flow.yaml"), str(tmp_path / "empty")])
    assert [e.message for e in loaded.errors] == [
        "no such file or directory",
        "no flow files (.flow.yaml, .flow.yml, .flow.json) found",
    ]


def test_json_flows_get_the_line_of_their_id(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.flow.json",
        '{\n  "version": 1,\n  "flows": [\n    {\n      "id": "a", "from": "IND", "to": "COA",\n'
        '      "document": "x", "form": "integral", "purpose": "p", "legal_basis": ["b"]\n    },\n'
        '    {\n      "id": "b", "from": "IND", "to": "COA",\n'
        '      "document": "x", "form": "extract", "purpose": "p", "legal_basis": ["b"]\n    }\n  ]\n}\n',
    )
    loaded = load([str(path)])
    assert [(f.id, f.line) for f in loaded.flows] == [("a", 5)]
    assert [(e.line, e.message) for e in loaded.errors] == [(9, "flows[1].fields: required when form is extract")]


@pytest.mark.parametrize(
    ("content", "message"),
    [('{"version": 1, "version": 1}', "duplicate key 'version'"), ('{"version": 1,', "invalid JSON")],
)
def test_broken_json(tmp_path: Path, content: str, message: str) -> None:
    write(tmp_path, "a.flow.json", content)
    ((_, _, got),) = _errors(tmp_path, "a.flow.json")
    assert message in got


def test_a_symlink_loop_in_a_directory_does_not_hang(tmp_path: Path) -> None:
    write(tmp_path, "d/a.flow.yaml", LAWFUL)
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d", target_is_directory=True)
    loaded = load([str(tmp_path / "d")])
    assert len(loaded.flows) == 1


def test_recurring_ids_are_held_once(tmp_path: Path) -> None:
    # At 100,000 flows the same few ids make up most of the loaded text: one object each keeps it small.
    write(tmp_path, "a.flow.yaml", LAWFUL)
    write(tmp_path, "b.flow.yaml", INTEGRAL)
    first, second = load([str(tmp_path)]).flows
    assert first.document["to"] == second.document["to"] == "COA"
    assert first.document["to"] is second.document["to"]
    assert next(iter(first.document)) is next(iter(second.document))


def test_paused_gc_restores_the_collector_once_the_outermost_block_ends() -> None:
    import gc

    from checker._gc import paused_gc

    assert gc.isenabled()
    with paused_gc():
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError
    assert gc.isenabled()
