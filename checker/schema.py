"""Validation of flow files and waiver files against schemas/, with messages a person can act on."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import islice
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from checker.i18n import _
from checker.resources import schemas_dir

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


@dataclass(frozen=True)
class SchemaProblem:
    """One schema violation: where it is (a JSON path) and what is wrong."""

    path: tuple[str | int, ...]
    """Path to the offending value; for a missing or unknown key, the key itself is the last element."""
    message: str
    """Plain words, starting with the path, e.g. "flows[2].fields: required when form is extract"."""


@cache
def _schema(name: str) -> dict[str, Any]:
    with (schemas_dir() / name).open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


@cache
def _validator(name: str) -> Draft202012Validator:
    # Imported only to explain an invalid file: a run over valid files (the pre-commit case) saves its
    # 0.1 s import.
    from jsonschema import Draft202012Validator, validators
    from jsonschema._keywords import uniqueItems

    stock: Any = uniqueItems
    extend: Any = validators.extend

    def unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterable[ValidationError]:
        # The stock check compares every pair when the items cannot be sorted (mappings): a million of them
        # never finish. A list longer than its maxItems is reported by maxItems; its duplicates need no search.
        if isinstance(instance, list) and len(instance) > schema.get("maxItems", len(instance)):
            return
        yield from stock(validator, unique, instance, schema)

    schema = _schema(name)
    Draft202012Validator.check_schema(schema)
    bounded: type[Draft202012Validator] = extend(Draft202012Validator, {"uniqueItems": unique_items})
    return bounded(schema)


@cache
def _fast(name: str) -> Any:
    # jsonschema-rs answers "valid?" a hundred times faster (and checks the schema against its metaschema);
    # the Python validator explains what is wrong.
    return jsonschema_rs.validator_for(_schema(name))


def format_path(path: Sequence[str | int]) -> str:
    """flows[2].fields style, as a user reads it in the file."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or _("(top level)")


# Errors collected from one file at most; past it a count. 1.9 million messages for one file helped nobody.
MAX_PROBLEMS = 100
# How many errors past MAX_PROBLEMS are counted before the count says "more than": counting is validating.
_MAX_COUNTED = 10_000


@dataclass(frozen=True)
class Validation:
    """The violations of one document, capped: the first MAX_PROBLEMS found (in path order) and a count of the rest."""

    problems: list[SchemaProblem]
    more: int = 0
    """How many more violations there are (at least this many when more_is_lower_bound)."""
    more_is_lower_bound: bool = False

    @property
    def capped(self) -> bool:
        """Whether violations were left out."""
        return self.more > 0


def validate(document: Any, schema: str = "flowfile.json") -> list[SchemaProblem]:
    """Every violation in the document against a schema of schemas/, in path order; empty when it is valid.

    Valid documents, nearly all of them, are recognised by jsonschema-rs; only an invalid one is walked by the
    Python validator, whose errors carry what the messages need. Should the two ever disagree, the document is
    reported invalid with jsonschema-rs's own message: a disagreement never passes.
    """
    return validate_capped(document, schema, limit=None).problems


def validate_capped(document: Any, schema: str = "flowfile.json", limit: int | None = MAX_PROBLEMS) -> Validation:
    """As validate, but at most limit violations are explained; the rest are counted, up to a bound."""
    if _fast(schema).is_valid(document):
        return Validation([])
    errors = _leaf_errors(_validator(schema).iter_errors(document))
    problems = [_problem(error) for error in (errors if limit is None else islice(errors, limit))]
    more = 0
    if limit is not None and len(problems) == limit:
        more = sum(1 for _ in islice(errors, _MAX_COUNTED))
    lower_bound = more == _MAX_COUNTED
    if not problems:
        first = next(iter(_fast(schema).iter_errors(document)), None)
        reason = str(first.message) if first is not None else _("does not match the schema")
        problems = [SchemaProblem((), _("{path}: {problem}").format(path=format_path(()), problem=reason))]
    unique = {(p.path, p.message): p for p in problems}
    ordered = sorted(unique.values(), key=lambda p: ([str(x) for x in p.path], p.message))
    return Validation(ordered, more, lower_bound)


def _leaf_errors(errors: Iterator[ValidationError]) -> Iterator[ValidationError]:
    # allOf/if-then wrap the real error; report the innermost ones, which carry the key that is wrong.
    for error in errors:
        if error.context:
            yield from _leaf_errors(iter(error.context))
        else:
            yield error


def _problem(error: ValidationError) -> SchemaProblem:
    path: tuple[str | int, ...] = tuple(error.absolute_path)
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    # The if/then branches of the schema say in "x-when" under which condition they apply. The schema's own
    # words (x-when, x-message) are ketencheck's and translated as such (their msgids are the schema's text);
    # jsonschema's own sentence, the last resort below, has no translation: it quotes values in Python's notation.
    when = " " + _(str(schema["x-when"])) if "x-when" in schema else ""
    if error.validator == "required":
        missing = _quoted_key(error.message)
        where = format_path(path + (missing,))
        return SchemaProblem(path + (missing,), _("{path}: required{when}").format(path=where, when=when))
    if error.validator == "additionalProperties":
        instance: Any = error.instance
        extra = sorted(set(instance) - set(schema.get("properties", {})))
        key = extra[0] if extra else "?"
        known = ", ".join(sorted(schema.get("properties", {})))
        where = format_path(path + (key,))
        return SchemaProblem(
            path + (key,), _("{path}: unknown key (known keys: {known})").format(path=where, known=known)
        )
    if error.validator == "not" and when:
        key = _first_required(error.validator_value)
        where = format_path(path + (key,))
        return SchemaProblem(path + (key,), _("{path}: not allowed{when}").format(path=where, when=when))
    own = schema.get("x-message") or _parent_hint(error)
    hint = _(str(own)) if own else error.message
    return SchemaProblem(path, _("{path}: {problem}").format(path=format_path(path), problem=hint))


def _parent_hint(error: ValidationError) -> str | None:
    parent = error.parent
    while parent is not None:
        if isinstance(parent.schema, Mapping) and "x-message" in parent.schema:
            return str(parent.schema["x-message"])
        parent = parent.parent
    return None


def _quoted_key(message: str) -> str:
    # jsonschema says "'fields' is a required property".
    return message.split("'")[1] if message.count("'") >= 2 else message


def _first_required(value: Any) -> str:
    if isinstance(value, Mapping):
        required = value.get("required", [])
        if required:
            return str(required[0])
    return "?"
