"""The loader's shortcuts read every file exactly as the plain PyYAML path and the recursive builder did."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from checker import loader
from checker.loader import FileProblem, Limits, load, read_document
from tests.conftest import LAWFUL, write

# Words that YAML 1.1 resolves to something other than text, near misses that stay text, and the usual flow words.
PLAIN = [
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "nul",
    "yes",
    "Yes",
    "YES",
    "yEs",
    "no",
    "No",
    "NO",
    "n",
    "y",
    "on",
    "On",
    "OFF",
    "off",
    "true",
    "True",
    "TRUE",
    "tRue",
    "false",
    "False",
    "0",
    "-0",
    "+1",
    "012",
    "0o12",
    "0x1F",
    "0b101",
    "1_000",
    "1:20",
    "190:20:30",
    "1e3",
    "1.0e+3",
    "1.5",
    ".5",
    "-.inf",
    ".Inf",
    ".NaN",
    ".nan",
    "nan",
    "1.",
    "6.8523015e+5",
    "2026-11-28",
    "2026-02-30",
    "2026-1-1",
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10",
    "P4W",
    "P30D",
    "IND",
    "COA",
    "flow-000001",
    "avg_6_1_c",
    "v_nummer",
    "=",
    "<<",
    "!x",
    "1 2",
    "1.2.3.4",
    "٣",
    "１２",
]


def _tag(loader_class: type[yaml.SafeLoader], text: str) -> str | None:
    node = yaml.compose(text, Loader=loader_class)
    return None if node is None else str(node.tag)


@pytest.mark.parametrize("value", PLAIN)
def test_a_remembered_tag_is_the_tag_pyyaml_gives(value: str) -> None:
    base = yaml.SafeLoader  # the pure-Python resolver, with no memo
    for text in (f"{value}\n", f"k: {value}\n", f"- {value}\n", f"'{value}'\n", f'"{value}"\n', f"k: [{value}]\n"):
        try:
            expected = yaml.compose(text, Loader=base)
        except yaml.YAMLError:
            continue
        for _ in range(2):  # the second time from the memo
            got = yaml.compose(text, Loader=loader._Loader)
            assert [n.tag for n in _walk(got)] == [n.tag for n in _walk(expected)], text


def _walk(node: yaml.Node | None) -> list[yaml.Node]:
    if node is None:
        return []
    if isinstance(node, yaml.MappingNode):
        return [node, *(n for k, v in node.value for n in (*_walk(k), *_walk(v)))]
    if isinstance(node, yaml.SequenceNode):
        return [node, *(n for item in node.value for n in _walk(item))]
    return [node]


def test_the_memo_is_exact_only_without_path_resolvers_and_there_are_none() -> None:
    assert loader._Loader.yaml_path_resolvers == {}
    assert yaml.SafeLoader.yaml_path_resolvers == {}


def test_the_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "_PLAIN_TAGS", {})
    monkeypatch.setattr(loader, "_PLAIN_TAGS_MAX", 10)
    node = yaml.compose("[" + ", ".join(f"w{i}" for i in range(50)) + ", 1, yes]", Loader=loader._Loader)
    assert isinstance(node, yaml.SequenceNode)
    assert len(loader._PLAIN_TAGS) == 10
    assert [n.tag.rsplit(":", 1)[1] for n in node.value[-3:]] == ["str", "int", "bool"]
    monkeypatch.setattr(loader, "_PLAIN_TAGS", {})
    long = "x" * (loader._PLAIN_TAG_TEXT_MAX + 1)
    node = yaml.compose(f"[{long}, {long[:-1]}]", Loader=loader._Loader)
    assert loader._PLAIN_TAGS == {long[:-1]: "tag:yaml.org,2002:str"}


# root 1, a 2, x 3, b 4, y 5, c 6, [...] 7, p 8, q 9: the node that passes the cap is named by its line.
NODES = "a: x\nb: y\nc: [p, q]\n"


@pytest.mark.parametrize(("cap", "line"), [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 3), (8, 3)])
def test_the_node_cap_stops_at_the_same_node_for_keys_values_and_items(tmp_path: Path, cap: int, line: int) -> None:
    path = write(tmp_path, "n.flow.yaml", NODES)
    with pytest.raises(FileProblem, match="more than") as raised:
        read_document(str(path), path, Limits(max_nodes=cap))
    assert raised.value.line == line
    document, _lines = read_document(str(path), path, Limits(max_nodes=9))
    assert document == {"a": "x", "b": "y", "c": ["p", "q"]}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: &x [s]\nb: {c: {d: *x}}\n", 1),  # the text under the alias is one level too deep
        ("a: &x {k: v}\nb: {c: {d: *x}}\n", 1),  # a key and its text under the alias
        ("a: &x [[s]]\nb: {c: *x}\n", 1),  # the inner list
    ],
)
def test_an_alias_deeper_than_the_limit_is_refused_at_its_node(tmp_path: Path, text: str, line: int) -> None:
    path = write(tmp_path, "d.flow.yaml", text)
    with pytest.raises(FileProblem, match="nested deeper than 3 levels") as raised:
        read_document(str(path), path, Limits(max_depth=3))
    assert raised.value.line == line
    document, _lines = read_document(str(path), path, Limits(max_depth=4))
    assert isinstance(document, dict)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\n? [x]\n: y\n", "key ['x'] is not text"),
        ("a: 1\n1: y\n", "key 1 is not text"),
        ("a: 1\n<<: {b: 2}\n", "merge keys"),
        ("a: 1\n!!str [x]: y\n", "unsupported YAML tag tag:yaml.org,2002:str"),
        ("a: !!str [x]\n", "unsupported YAML tag tag:yaml.org,2002:str"),
        ("a: [!!str {k: v}]\n", "unsupported YAML tag tag:yaml.org,2002:str"),
        ("a: 1\na: 2\n", "duplicate key 'a'"),
    ],
)
def test_what_is_not_plain_text_still_goes_through_every_check(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "k.flow.yaml", text)
    with pytest.raises(FileProblem, match=message.replace("[", r"\[").replace("]", r"\]")):
        read_document(str(path), path)


def test_values_are_read_as_before(tmp_path: Path) -> None:
    text = "a: !!str 12\nb: '12'\nc: 12\nd: [yes, 'no', ~, 1.5, 2026-11-28, !!str true]\ne: {f: null}\n"
    path = write(tmp_path, "v.flow.yaml", text)
    document, _lines = read_document(str(path), path)
    assert document == {
        "a": "12",
        "b": "12",
        "c": 12,
        "d": [True, "no", None, 1.5, "2026-11-28", "true"],
        "e": {"f": None},
    }


def test_many_shallow_brackets_are_not_taken_for_depth(tmp_path: Path) -> None:
    # More opening brackets than the depth limit, none deeper than two: the exact bracket count decides.
    flows = "".join(
        f"  - {{id: f{i}, from: IND, to: COA, document: beschikking_afwijzend, form: integral, "
        f"purpose: einde_opvang, legal_basis: [avg_6_1_c, vw_107_4, vv_7_1e], retention: P4W}}\n"
        for i in range(80)
    )
    write(tmp_path, "many.flow.yaml", "version: 1\nflows:\n" + flows)
    loaded = load([str(tmp_path)])
    assert loaded.errors == ()
    assert len(loaded.flows) == 80
    assert not loader._nesting_bound("a: " + "[" * 70 + "]" * 70, 64)
    assert loader._nesting_bound("a: " + "[x], " * 70, 64)


def test_a_file_link_within_the_tree_is_read_and_one_out_of_it_is_not(tmp_path: Path) -> None:
    write(tmp_path, "flows/real/a.flow.yaml", LAWFUL)
    write(tmp_path, "elsewhere/b.flow.yaml", LAWFUL.replace("ind-coa-einde-opvang", "b"))
    os.symlink(tmp_path / "flows" / "real" / "a.flow.yaml", tmp_path / "flows" / "inside.flow.yaml")
    os.symlink(tmp_path / "elsewhere" / "b.flow.yaml", tmp_path / "flows" / "outside.flow.yaml")
    files, errors = loader.discover([str(tmp_path / "flows")])
    assert [Path(name).name for name, _path in files] == ["inside.flow.yaml", "a.flow.yaml"]
    assert [(Path(e.file).name, "symbolic link out of" in e.message) for e in errors] == [("outside.flow.yaml", True)]
