"""Finding, reading and validating flow files: YAML or JSON in, flows with file and line out.

Input errors never stop the run: each one becomes an InvalidInput and the valid flows are still checked.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from checker import i18n
from checker._gc import paused_gc
from checker.i18n import _
from checker.model import Flow, FlowId, InvalidInput
from checker.schema import SchemaProblem, validate_capped

FLOW_SUFFIXES = (".flow.yaml", ".flow.yml", ".flow.json")

# The C parser where PyYAML has it: parsing is most of a large file's load time.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Plain scalars' tags as PyYAML's resolver gives them, by text: the composer asks for every scalar (64,000 times in
# 300 files) and flow files repeat the same few hundred words. Bounded in entries and in the length of a text, so
# that hostile input cannot grow it (nor keep a 40 MB scalar alive for the rest of the run).
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_MAX = 100_000
_PLAIN_TAG_TEXT_MAX = 200


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader, with the implicit tag of a plain scalar remembered by its text.

    Exact only while the loader has no path resolvers: then a tag depends on nothing but the node's kind, its text
    and whether it was plain (tests/test_loader_speed.py holds both).
    """

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= _PLAIN_TAG_TEXT_MAX and len(_PLAIN_TAGS) < _PLAIN_TAGS_MAX:
                    _PLAIN_TAGS[value] = tag
            return tag
        other: str = super().resolve(kind, value, implicit)
        return other

    # Without path resolvers these two do nothing, but the composer calls both for every node: builtins that
    # accept the same arguments and do nothing cost less than the Python methods.
    descend_resolver: Callable[..., object] = {}.get
    ascend_resolver: Callable[[], object] = {}.clear


@dataclass(frozen=True)
class Limits:
    """Bounds on what one file may cost to read, so hostile input fails fast instead of exhausting memory."""

    max_bytes: int = 50 * 1024 * 1024
    """Largest file read."""
    max_nodes: int = 2_000_000
    """Most YAML nodes built from one file, aliases expanded (stops "billion laughs")."""
    max_depth: int = 64
    """Deepest nesting of mappings and lists."""


@dataclass(frozen=True)
class Loaded:
    """What the input gave: the flows to check and the problems that kept the rest out."""

    flows: tuple[Flow, ...]
    errors: tuple[InvalidInput, ...]
    context: tuple[Flow, ...] = ()
    """Flows read only so that the chain rules see the whole set (--context); not reported."""


class FileProblem(Exception):
    """A file that cannot be read or parsed at all; line where known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


STDIN = Path("/dev/stdin")
"""What `-` stands for; read through sys.stdin, with the size limit applied while reading."""


def discover(paths: Sequence[str]) -> tuple[list[tuple[str, Path]], list[InvalidInput]]:
    """The files to read, named as the user would recognise them, and the paths that gave none.

    Every path under a named directory that is not read is an input error naming it: an unreadable directory,
    a link out of the tree. A gate that skips part of what it was given could pass what it never saw.
    """
    files: list[tuple[str, Path]] = []
    errors: list[InvalidInput] = []
    for given in paths:
        if given == "-":
            # One flow file on standard input, named "-" in reports as given.
            if any(name == "-" for name, _path in files):
                errors.append(InvalidInput(given, None, _("standard input named twice; it can be read once")))
            else:
                files.append((given, STDIN))
            continue
        if _not_text(given):
            errors.append(_unnamable(given))
            continue
        path = Path(given)
        if path.is_dir():
            walk_errors: list[InvalidInput] = []
            found = _walk(given, walk_errors)
            if not found and not walk_errors:
                message = _("no flow files ({suffixes}) found").format(suffixes=", ".join(FLOW_SUFFIXES))
                errors.append(InvalidInput(given, None, message))
            errors.extend(walk_errors)
            for name, link in found:
                # A file that is no link lies in a directory the walk entered, and it enters no directory link.
                if link and _outside(name, given):
                    message = _("symbolic link out of {directory}; not read (name it to check it)").format(
                        directory=given
                    )
                    errors.append(InvalidInput(name, None, message))
                else:
                    files.append((name, Path(name)))
        elif path.exists():
            files.append((given, path))
        else:
            errors.append(InvalidInput(given, None, _("no such file or directory")))
    return files, errors


def _not_text(name: str) -> bool:
    # A name that is not UTF-8 arrives with surrogate escapes: no JSON, SARIF or terminal can carry it.
    return not _encodable(name)


def _unnamable(name: str) -> InvalidInput:
    shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return InvalidInput(shown, None, _("file name is not UTF-8 text; not read (rename it)"))


def is_flow_file(name: str) -> bool:
    """Whether a file found in a directory is a flow file: *.flow.yaml|yml|json in any case (X.FLOW.YAML too)."""
    return name.lower().endswith(FLOW_SUFFIXES)


def _walk(top: str, errors: list[InvalidInput]) -> list[tuple[str, bool]]:
    # os.walk drops what it cannot list and never enters a directory link: both left flows unread without a
    # word. A directory link that stays in the tree is not followed: its target is walked under its own name,
    # and a loop cannot hang the gate. One that leads out of the tree is refused, as a file link out is.
    real_top = os.path.realpath(top)
    found: list[tuple[str, bool]] = []
    stack = [top]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            message = _("directory not read: {problem}").format(problem=exc.strerror or exc)
            errors.append(InvalidInput(current, None, message))
            continue
        subdirectories: list[str] = []
        for entry in entries:
            name = os.path.join(current, entry.name)
            if _not_text(entry.name):
                if entry.is_dir(follow_symlinks=False) or is_flow_file(entry.name):
                    errors.append(_unnamable(name))
                continue
            if entry.is_dir(follow_symlinks=False):
                subdirectories.append(name)
            elif entry.is_symlink() and os.path.isdir(name):
                if _outside(name, top, real_top):
                    message = _(
                        "symbolic link to a directory out of {directory}; not read (name it to check it)"
                    ).format(directory=top)
                    errors.append(InvalidInput(name, None, message))
            elif is_flow_file(entry.name):
                found.append((name, entry.is_symlink()))
        stack.extend(reversed(subdirectories))
    return sorted(found)


def _outside(found: str, top: str, real_top: str | None = None) -> bool:
    # A link in a scanned tree that leads out of it (to ~/.ssh, /etc, ...) is not read: a repository of flow files
    # must not make a CI job print parts of other files in its error messages. Named files are read as given.
    real_top = real_top or os.path.realpath(top)
    return os.path.commonpath([os.path.realpath(found), real_top]) != real_top


def load(paths: Sequence[str], limits: Limits = Limits(), on_file: Callable[[str], None] | None = None) -> Loaded:
    """Read every flow file under the paths; flow ids must be unique across all of them.

    on_file is called with each file's name once it is read (for a progress bar).
    """
    files, errors = discover(paths)
    seen: dict[str, Flow] = {}
    # Parsing builds many objects and no reference cycles: see paused_gc.
    with paused_gc():
        flows = _load_files(files, seen, errors, limits, on_file)
    return Loaded(tuple(flows), tuple(errors))


def load_with_context(paths: Sequence[str], context: Sequence[str], limits: Limits = Limits()) -> Loaded:
    """The flows under paths, plus the other flows under the context paths for the chain rules.

    A file under both is read once, as one of the paths. Problems in context files are input errors too:
    a chain checked without part of its flows could pass what it should not.
    """
    loaded = load(paths, limits)
    named = {Path(display).resolve() for display, _path in discover(paths)[0]}
    files, errors = discover(context)
    seen: dict[str, Flow] = {flow.id: flow for flow in loaded.flows}
    extra = [(display, path) for display, path in files if path.resolve() not in named]
    context_flows = _load_files(extra, seen, errors, limits)
    return Loaded(loaded.flows, loaded.errors + tuple(errors), tuple(context_flows))


def _load_files(
    files: Sequence[tuple[str, Path]],
    seen: dict[str, Flow],
    errors: list[InvalidInput],
    limits: Limits,
    on_file: Callable[[str], None] | None = None,
) -> list[Flow]:
    flows: list[Flow] = []
    for display, (file_flows, file_errors) in zip(
        (display for display, _path in files), _parsed(files, limits), strict=True
    ):
        if on_file is not None:
            on_file(display)
        errors.extend(file_errors)
        for flow in file_flows:
            first = seen.get(flow.id)
            if first is not None:
                errors.append(
                    InvalidInput(
                        flow.file,
                        flow.line,
                        _("flows[{index}].id: duplicate flow id '{flow}' (first defined at {file}:{line})").format(
                            index=flow.index, flow=flow.id, file=first.file, line=first.line
                        ),
                    )
                )
                continue
            seen[flow.id] = flow
            flows.append(flow)
    return flows


# From this many files on, parsing is spread over the machine's cores: YAML parsing is most of a large run's
# harness time, and a process per core beats the pool's start-up and pickling well before this point.
PARALLEL_FROM_FILES = 400


def _parsed(files: Sequence[tuple[str, Path]], limits: Limits) -> Iterator[tuple[list[Flow], list[InvalidInput]]]:
    """Each file's flows and problems, in the order given; in worker processes when there are many files."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if len(files) < PARALLEL_FROM_FILES or cores < 2:
        for display, path in files:
            yield load_file(display, path, limits)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(files) // (cores * 8))
    pool = ProcessPoolExecutor(max_workers=cores)
    try:
        # The workers write their messages in the run's language, however they were started.
        lang = i18n.current()
        yield from pool.map(_load_file_args, [(d, p, limits, lang) for d, p in files], chunksize=chunk)
    except BaseException:
        # The --timeout deadline (or an interrupt): drop the files not yet started instead of waiting for them.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _load_file_args(args: tuple[str, Path, Limits, i18n.Lang]) -> tuple[list[Flow], list[InvalidInput]]:
    display, path, limits, lang = args
    if i18n.current() is not lang:
        i18n.use(lang)
    return load_file(display, path, limits)


def load_file(display: str, path: Path, limits: Limits = Limits()) -> tuple[list[Flow], list[InvalidInput]]:
    """The valid flows of one file and the problems of the rest."""
    try:
        document, lines = read_document(display, path, limits)
    except FileProblem as problem:
        return [], [InvalidInput(display, problem.line, problem.message)]
    validation = validate_capped(document)
    problems = validation.problems
    errors = [InvalidInput(display, lines.line_of(p.path), p.message) for p in problems]
    if validation.capped:
        # Which flows are broken is not known past the cap: none of the file's flows is checked.
        more = (
            _("more than {count} more schema errors not listed; no flow of this file was checked")
            if validation.more_is_lower_bound
            else _("{count} more schema errors not listed; no flow of this file was checked")
        )
        errors.append(InvalidInput(display, None, more.format(count=f"{validation.more:,}")))
        return [], errors
    if not isinstance(document, dict) or not isinstance(document.get("flows"), list):
        return [], errors
    if _top_level_broken(problems):
        return [], errors
    broken = {p.path[1] for p in problems if len(p.path) >= 2 and p.path[0] == "flows"}
    flows = [
        Flow(FlowId(entry["id"]), display, lines.line_of(("flows", i)) or 1, i, entry, lines.column_of(("flows", i)))
        for i, entry in enumerate(document["flows"])
        if i not in broken
    ]
    return flows, errors


def read_document(display: str, path: Path, limits: Limits = Limits()) -> tuple[Any, LineIndex]:
    """Parse a YAML or JSON file (by its name) within the limits, with an index from paths to lines."""
    text = _read_text(path, limits)
    if display.lower().endswith(".json") or path.suffix.lower() == ".json":
        _check_json_nodes(text, limits)
        document, lines = _parse_json(text)
        _check_depth(document, limits)
        _check_surrogates(text)
        return document, lines
    return _parse_yaml(text, limits)


_JSON_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'


def _check_json_nodes(text: str, limits: Limits) -> None:
    # json.loads builds the whole document before anything can be counted: 24 million list items in a 48 MB file
    # grew to 12 GB. Every value or key but the top one follows one of [ { , : so their number bounds the nodes,
    # as --max-yaml-nodes bounds YAML's; the same characters inside strings only make the bound larger, so the
    # strings are taken out before the exact count.
    structure = "[{,:"
    if 1 + sum(text.count(c) for c in structure) <= limits.max_nodes:
        return
    bare = re.sub(_JSON_STRING, '""', text)
    if 1 + sum(bare.count(c) for c in structure) > limits.max_nodes:
        raise FileProblem(
            _("more than {count} JSON values and keys; not parsed (--max-yaml-nodes)").format(
                count=f"{limits.max_nodes:,}"
            )
        )


# A whole pair (high, then low) or a single half; a single half is a lone surrogate.
_SURROGATE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[dD][89a-fA-F][0-9a-fA-F]{2}"
)


def _check_surrogates(text: str) -> None:
    # JSON can write half a UTF-16 surrogate pair ("\ud800"); Python takes it, but it is not text: no report,
    # OPA or terminal can encode it (it was exit 3). Called on text json.loads accepted, so every escape is in a
    # string; one whose backslash is itself escaped ("\\ud800") is the text "\ud800", not an escape.
    for match in _SURROGATE_ESCAPE.finditer(text):
        if len(match.group(0)) == 6 and not _escaped(text, match.start()):
            raise FileProblem(
                _("invalid JSON: a \\uD800-\\uDFFF escape that is half a surrogate pair is not text"),
                text.count("\n", 0, match.start()) + 1,
            )


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_depth(document: Any, limits: Limits) -> None:
    # The JSON parser allows about a thousand levels; the limit is the same as for YAML, walked without recursion.
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limits.max_depth:
                raise FileProblem(_("nested deeper than {depth} levels (--max-depth)").format(depth=limits.max_depth))
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)


def _top_level_broken(problems: Iterable[SchemaProblem]) -> bool:
    # A wrong version or an unknown top-level key makes the whole file suspect: check none of its flows.
    return any(not (len(p.path) >= 2 and p.path[0] == "flows") for p in problems)


def _read_text(path: Path, limits: Limits) -> str:
    try:
        if path == STDIN:
            # A pipe has no size to check first: read one byte past the limit to know it was passed.
            data = sys.stdin.buffer.read(limits.max_bytes + 1)
            if len(data) > limits.max_bytes:
                raise FileProblem(
                    _("standard input is over the limit of {limit} bytes (--max-file-size)").format(
                        limit=f"{limits.max_bytes:,}"
                    )
                )
        else:
            size = path.stat().st_size
            if size > limits.max_bytes:
                raise FileProblem(
                    _("file is {size} bytes, over the limit of {limit} (--max-file-size)").format(
                        size=f"{size:,}", limit=f"{limits.max_bytes:,}"
                    )
                )
            data = path.read_bytes()
    except IsADirectoryError as exc:
        raise FileProblem(_("is a directory, not a flow file")) from exc
    except OSError as exc:
        raise FileProblem(_("cannot read: {problem}").format(problem=exc.strerror or exc)) from exc
    if b"\x00" in data:
        raise FileProblem(_("binary file (contains NUL bytes), not YAML or JSON"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileProblem(
            _("not UTF-8 text (byte {byte} at offset {offset})").format(
                byte=f"0x{data[exc.start]:02x}", offset=exc.start
            ),
            line,
        ) from exc
    if not text.strip():
        raise FileProblem(_("file is empty"))
    return text


class LineIndex:
    """Maps a JSON path in the parsed document to the 1-based line where it is written."""

    def line_of(self, path: Sequence[str | int]) -> int | None:  # pragma: no cover - interface
        raise NotImplementedError

    def column_of(self, path: Sequence[str | int]) -> int:
        """1-based column where the value at the path starts; 1 where unknown."""
        return 1


class _YamlLines(LineIndex):
    def __init__(self, root: yaml.Node) -> None:
        self._root = root

    def line_of(self, path: Sequence[str | int]) -> int | None:
        node = self._root
        line = node.start_mark.line + 1
        for part in path:
            found = _child(node, part)
            if found is None:
                # A missing key is reported at the mapping that lacks it.
                return line
            key_node, node = found
            line = (key_node or node).start_mark.line + 1
        return line

    def column_of(self, path: Sequence[str | int]) -> int:
        node = self._root
        for part in path:
            found = _child(node, part)
            if found is None:
                break
            node = found[1]
        return node.start_mark.column + 1


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                return key, value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


_JSON_MEMBER = re.compile(rf"({_JSON_STRING})(?:\s*:\s*({_JSON_STRING}))?")


class _JsonLines(LineIndex):
    # json gives no positions; a flow is found by its id, which the contract makes unique. One pass over the
    # text's strings finds every "id": "..." member, escaped or not, in order: searching from the start for each
    # flow was quadratic (20,000 flows took 104 s).
    def __init__(self, text: str, document: Any) -> None:
        self._lines: dict[int, int] = {}
        self._columns: dict[int, int] = {}
        flows = document.get("flows") if isinstance(document, dict) else None
        if not isinstance(flows, list):
            return
        places: dict[str, list[int]] = {}
        for match in _JSON_MEMBER.finditer(text):
            if match.group(2) is not None and _json_string(match.group(1)) == "id":
                places.setdefault(_json_string(match.group(2)), []).append(match.start())
        starts: list[tuple[int, int]] = []
        taken: dict[str, int] = {}
        for i, entry in enumerate(flows):
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                found = places.get(entry["id"])
                if found:
                    # A repeated id (an input error) points at its own occurrence.
                    n = taken.get(entry["id"], 0)
                    taken[entry["id"]] = n + 1
                    starts.append((found[min(n, len(found) - 1)], i))
        # Lines and columns counted forward only, so one long line (minified JSON) is not rescanned per flow.
        line, last, line_start = 1, 0, 0
        for start, i in sorted(starts):
            line += text.count("\n", last, start)
            newline = text.rfind("\n", last, start)
            if newline >= 0:
                line_start = newline + 1
            last = start
            self._lines[i] = line
            self._columns[i] = start - line_start + 1

    def line_of(self, path: Sequence[str | int]) -> int | None:
        if len(path) >= 2 and path[0] == "flows" and isinstance(path[1], int):
            return self._lines.get(path[1], 1)
        return 1

    def column_of(self, path: Sequence[str | int]) -> int:
        if len(path) >= 2 and path[0] == "flows" and isinstance(path[1], int):
            return self._columns.get(path[1], 1)
        return 1


def _json_string(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    try:
        value = json.loads(token)
    except ValueError:
        return ""
    return value if isinstance(value, str) else ""


def _parse_json(text: str) -> tuple[Any, LineIndex]:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise ValueError(_("duplicate key '{key}'").format(key=key))
            result[key] = value
        return result

    try:
        document = json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise FileProblem(
            _("invalid JSON: {problem} (column {column})").format(problem=exc.msg, column=exc.colno), exc.lineno
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise FileProblem(_("invalid JSON: {problem}").format(problem=exc)) from exc
    return document, _JsonLines(text, document)


_LINE_PREFIX = re.compile(r"^[ \t\-?:]*", re.MULTILINE)
_BRACKET = re.compile(r"[\[\]{}]")


def _nesting_bound(text: str, limit: int) -> bool:
    """Whether an upper bound of the nesting depth, cheap to compute, is within the limit.

    A nested block collection starts at a greater column than its parent (also in "- - x"), so block depth is
    at most the longest run of spaces, dashes and indicators at the start of a line, plus one; flow collections
    add at most their bracket depth, which is at most their number of opening brackets. Brackets inside quoted
    text only make the bound larger, never smaller.
    """
    block = max(map(len, _LINE_PREFIX.findall(text)), default=0) + 1
    if block + text.count("[") + text.count("{") <= limit:
        return True
    depth = deepest = 0
    for match in _BRACKET.finditer(text):
        depth = depth + 1 if match.group(0) in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return block + deepest <= limit


def _check_nesting(text: str, limits: Limits) -> None:
    # libyaml's composer recurses in C: a document nested deeply enough crashes the interpreter (SIGSEGV)
    # instead of raising. So the depth is established before composing: by the cheap bound for nearly every
    # file, and by walking the parser's events (iterative, no recursion) when the bound is not conclusive.
    if _nesting_bound(text, limits.max_depth):
        return
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.max_depth:
                line = event.start_mark.line + 1 if event.start_mark else None
                raise FileProblem(
                    _("nested deeper than {depth} levels (--max-depth)").format(depth=limits.max_depth), line
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _parse_yaml(text: str, limits: Limits) -> tuple[Any, LineIndex]:
    loader = _Loader(text)
    try:
        _check_nesting(text, limits)
        root = loader.get_single_node()
        if root is None:
            raise FileProblem(_("file is empty"))
        document = _Builder(loader, limits).build(root, 0)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise FileProblem(_("invalid YAML: {problem}").format(problem=problem), line) from exc
    except yaml.YAMLError as exc:
        raise FileProblem(_("invalid YAML: {problem}").format(problem=exc)) from exc
    finally:
        loader.dispose()
    return document, _YamlLines(root)


_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp"))


class _Builder:
    """Turns YAML nodes into plain data, refusing what would silently lose or invent data."""

    def __init__(self, loader: yaml.SafeLoader, limits: Limits) -> None:
        self._loader = loader
        self._limits = limits
        self._nodes = 0

    def build(self, node: yaml.Node, depth: int) -> Any:
        self._nodes += 1
        if self._nodes > self._limits.max_nodes:
            raise FileProblem(
                _(
                    "more than {count} YAML nodes (aliases expanded); refusing to expand further (--max-yaml-nodes)"
                ).format(count=f"{self._limits.max_nodes:,}"),
                node.start_mark.line + 1,
            )
        if depth > self._limits.max_depth:
            raise FileProblem(
                _("nested deeper than {depth} levels (--max-depth)").format(depth=self._limits.max_depth),
                node.start_mark.line + 1,
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise FileProblem(_("unsupported YAML tag {tag}").format(tag=node.tag), node.start_mark.line + 1)
            return self._sequence(node, depth)
        if node.tag == _STR:
            # Most scalars are text: take it as written, without the constructor's dispatch. Interned, because
            # the same few ids (partners, fields, purposes, keys) recur in every flow: at 100,000 flows that is
            # 1.9 million strings with 100,000 distinct values, 100 MiB held while opa runs.
            return sys.intern(node.value)
        if node.tag not in _SCALAR_TAGS:
            # Only plain data: a tag that would construct anything else (!!python/name, !!binary, ...) is refused.
            raise FileProblem(_("unsupported YAML tag {tag}").format(tag=node.tag), node.start_mark.line + 1)
        if node.tag == "tag:yaml.org,2002:timestamp":
            # A date stays the text written: the schema and the policies compare ISO text, and YAML's own
            # reading would turn 2026-02-30 into a crash and 2026-12-31 into a non-JSON value.
            return node.value
        try:
            return self._loader.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError) as exc:
            raise FileProblem(
                _("cannot read the value {value}: {problem}").format(value=repr(node.value[:80]), problem=exc),
                node.start_mark.line + 1,
            ) from exc

    # The text children of a collection, nearly every node of a flow file, are taken in the loops below without a
    # call to build: the same count, depth and tag checks, in the same order, so the same errors at the same node.

    def _sequence(self, node: yaml.SequenceNode, depth: int) -> list[Any]:
        child = depth + 1
        inline = child <= self._limits.max_depth
        max_nodes = self._limits.max_nodes
        items: list[Any] = []
        for item in node.value:
            if inline and item.tag == _STR and type(item) is yaml.ScalarNode and self._nodes < max_nodes:
                self._nodes += 1
                items.append(sys.intern(item.value))
            else:
                items.append(self.build(item, child))
        return items

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[Any, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            raise FileProblem(_("unsupported YAML tag {tag}").format(tag=node.tag), node.start_mark.line + 1)
        child = depth + 1
        inline = child <= self._limits.max_depth
        max_nodes = self._limits.max_nodes
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if inline and key_node.tag == _STR and type(key_node) is yaml.ScalarNode and self._nodes < max_nodes:
                self._nodes += 1
                key = sys.intern(key_node.value)
            else:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise FileProblem(
                        _("YAML merge keys (<<) are not supported in flow files"), key_node.start_mark.line + 1
                    )
                key = self.build(key_node, child)
                if not isinstance(key, str):
                    raise FileProblem(_("key {key} is not text").format(key=repr(key)), key_node.start_mark.line + 1)
            if key in result:
                raise FileProblem(_("duplicate key '{key}'").format(key=key), key_node.start_mark.line + 1)
            if inline and value_node.tag == _STR and type(value_node) is yaml.ScalarNode and self._nodes < max_nodes:
                self._nodes += 1
                result[key] = sys.intern(value_node.value)
            else:
                result[key] = self.build(value_node, child)
        return result
