"""Findings and ids in the reader's language.

The policies produce a finding as data (message_id and arguments, fix_id and fix_arguments); this module renders
it. Formatters and the audit ask a `Texts` for every word they show of a finding: its message, its fix, the names
of ids and the citation of the law, so that a report is in one language from top to bottom.

The templates live in the gettext domain `findings` (checker/locale/<lang>/LC_MESSAGES/findings.po): the msgid is
the message_id (or fix_id, or a fragment's id), the msgstr the sentence with named {placeholders}. Each argument
name has one declared kind (ARGUMENTS, FIX_ARGUMENTS), which says how it is shown in each language: an id by its
readable name in Dutch and as itself in English, a list as "a, b en c" or "a, b, c", a duration as "4 weken" or
"P4W". A fix is YAML to paste: its values stay ids (code) in every language, only its comment is translated.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import gettext
import json
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from checker.i18n import LOCALE_DIR, Lang, _, current
from checker.model import Finding, LegalSource, Report, RuleInfo

Names = Mapping[str, Mapping[str, Mapping[str, str]]]
"""kind (partners, documents, fields, purposes, legal_bases, ...) -> id -> lang -> readable name."""

DOMAIN = "findings"


class Kind(enum.Enum):
    """How an argument of a message is shown."""

    PARTNER = "partners"
    PARTNERS = "partners[]"
    DOCUMENT = "documents"
    DOCUMENTS = "documents[]"
    PURPOSE = "purposes"
    PURPOSES = "purposes[]"
    FIELDS = "fields[]"
    BASES = "legal_bases[]"
    CHANNEL = "channels"
    BASES_WITH_LAW = "bases with the law they rest on"
    LAW = "a provision of law"
    RETENTION_SOURCE = "where a retention maximum comes from"
    DURATION = "ISO 8601 duration"
    COUNT = "number"
    FLOW = "flow id"
    FLOWS = "flow ids and a count of the rest"
    INBOUND = "flows (id, from, to, document) and a count of the rest"
    REFERENCE = "what a flow key names"
    KEYS = "flow keys"
    TEXT = "text as given"


ARGUMENTS: Mapping[str, Kind] = {
    "recipient": Kind.PARTNER,
    "sender": Kind.PARTNER,
    "originator": Kind.PARTNER,
    "partners": Kind.PARTNERS,
    "document": Kind.DOCUMENT,
    "documents": Kind.DOCUMENTS,
    "purpose": Kind.PURPOSE,
    "purposes": Kind.PURPOSES,
    "fields": Kind.FIELDS,
    "admitted": Kind.FIELDS,
    "holds": Kind.FIELDS,
    "special": Kind.FIELDS,
    "bases": Kind.BASES,
    "missing": Kind.BASES,
    "required": Kind.BASES,
    "listed": Kind.BASES,
    "missing_law": Kind.BASES_WITH_LAW,
    "law": Kind.LAW,
    "channel": Kind.CHANNEL,
    "named": Kind.CHANNEL,
    "retention_source": Kind.RETENTION_SOURCE,
    "retention": Kind.DURATION,
    "max": Kind.DURATION,
    "limit": Kind.COUNT,
    "total": Kind.COUNT,
    "volume": Kind.COUNT,
    "threshold": Kind.COUNT,
    "flow": Kind.FLOW,
    "others": Kind.FLOWS,
    "inbound": Kind.INBOUND,
    "what": Kind.REFERENCE,
    "keys": Kind.KEYS,
    "id": Kind.TEXT,
    "guess": Kind.TEXT,
    "topic": Kind.TEXT,
    "activity": Kind.TEXT,
    "registered": Kind.TEXT,
}
"""Every argument name a message may use, and its kind: one name, one kind, in every message."""


class FixKind(enum.Enum):
    """How an argument of a fix is written into its YAML: always as code, the same in every language."""

    YAML_LIST = "a YAML flow sequence [a, b]"
    IDS = "ids separated by commas"
    ID = "one id"


FIX_ARGUMENTS: Mapping[str, FixKind] = {
    "fields": FixKind.YAML_LIST,
    "bases": FixKind.YAML_LIST,
    "values": FixKind.YAML_LIST,
    "purposes": FixKind.IDS,
    "channel": FixKind.ID,
    "purpose": FixKind.ID,
    "originator": FixKind.ID,
    "max": FixKind.ID,
    "key": FixKind.ID,
    "value": FixKind.ID,
}

FRAGMENTS: Mapping[str, frozenset[str]] = {
    "fragment.list": frozenset({"head", "last"}),
    "fragment.and_more": frozenset({"items", "more"}),
    "fragment.inbound_flow": frozenset({"id", "sender", "recipient", "document"}),
    "fragment.law_not_verified": frozenset({"label"}),
    "fragment.basis_with_law": frozenset({"basis", "law"}),
    "fragment.retention_by_law": frozenset({"source"}),
    "fragment.retention_by_law.no_source": frozenset(),
    "fragment.retention_default": frozenset({"source"}),
    "fragment.retention_default.no_source": frozenset(),
    "reference.sender": frozenset(),
    "reference.recipient": frozenset(),
    "reference.document": frozenset(),
    "reference.purpose": frozenset(),
    "reference.field": frozenset(),
}
"""The pieces the kinds are shown with (a list's last separator, "and 2 more", ...), with their placeholders."""


@functools.cache
def _catalogue(lang: Lang) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang.value], fallback=True)


FIX = "fix"
"""The msgctxt of the fixes' templates: a fix_id may be spelled like a message_id (purpose, extract)."""


@functools.cache
def template(lang: Lang, ident: str, context: str | None = None) -> str | None:
    """The template of a message or fragment id (or of a fix_id, in context FIX) in a language; None when the
    catalogue has none. Looked up once per id: a run renders the same few sentences thousands of times."""
    found = _catalogue(lang)
    text = found.gettext(ident) if context is None else found.pgettext(context, ident)
    return None if text == ident else text


@functools.cache
def message_ids(lang: Lang) -> frozenset[str]:
    """Every id the catalogue of a language has a template for (fixes, in their context, not among them)."""
    # gettext has no public way to list a catalogue; GNUTranslations keeps it in _catalog (absent: nothing to list).
    catalog: Mapping[Any, Any] = getattr(_catalogue(lang), "_catalog", {})
    return frozenset(key for key in catalog if isinstance(key, str) and key and "\x04" not in key)


@functools.cache
def placeholders(text: str) -> frozenset[str]:
    """The {names} a template uses."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


_PLAIN_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")

# Go's encoding/json, as OPA's json.marshal writes a string: HTML characters and the two line separators escaped.
_GO_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def yaml_list(ids: Sequence[Any]) -> str:
    """An array of ids as a YAML flow sequence "[a, b, c]", order kept. An item that is not a plain id is written
    as a double-quoted (JSON) string, so that an item from a flow file cannot break the fix's lines: a newline in
    it stays the two characters \\n, and a code fence or a heading stays inside the quotes."""
    return "[" + ", ".join(_yaml_item(str(x)) for x in ids) + "]"


def _yaml_item(item: str) -> str:
    if _PLAIN_ID.fullmatch(item):
        return item
    return json.dumps(item, ensure_ascii=False).translate(_GO_ESCAPES)


_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
_DUTCH_UNITS = (("jaar", "jaar"), ("maand", "maanden"), ("week", "weken"), ("dag", "dagen"))


def _dutch_duration(text: str) -> str:
    # Only the calendar units a flow file uses; anything else is shown as written.
    found = _DURATION.match(text)
    if text == "P" or found is None:
        return text
    parts = [
        f"{int(n)} {one if int(n) == 1 else many}"
        for n, (one, many) in zip(found.groups(), _DUTCH_UNITS, strict=True)
        if n is not None
    ]
    return _join_nl(parts, lambda head, last: f"{head} en {last}")


def _join_nl(items: Sequence[str], last: Callable[[str, str], str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return last(", ".join(items[:-1]), items[-1])


class _Renderer:
    """Shows the arguments of one finding in one language."""

    def __init__(
        self,
        lang: Lang,
        name: Callable[[str, str], str],
        law: Callable[[Mapping[str, Any]], str],
        article: Callable[[str], str] = lambda _document: "",
    ) -> None:
        self.lang = lang
        self.name = name
        self.law = law
        self.article = article

    def fragment(self, ident: str, **values: Any) -> str:
        text = template(self.lang, ident) or template(Lang.EN, ident) or ident
        return text.format(**values)

    def ids(self, kind: str, values: Any) -> str:
        items = [self.id(kind, str(v)) for v in values]
        return self.join(items)

    def id(self, kind: str, value: str) -> str:
        return value if self.lang is Lang.EN else self.name(kind, value)

    def join(self, items: Sequence[str]) -> str:
        if len(items) < 2:
            return "".join(items)
        return self.fragment("fragment.list", head=", ".join(items[:-1]), last=items[-1])

    def more(self, items: Sequence[str], more: int) -> str:
        if more > 0:
            return self.fragment("fragment.and_more", items=", ".join(items), more=more)
        return self.join(items)

    def law_label(self, source: Mapping[str, Any]) -> str:
        label = self.law(source)
        return label if source.get("verified") is True else self.fragment("fragment.law_not_verified", label=label)

    def show(self, kind: Kind, value: Any) -> str:
        if kind is Kind.DOCUMENT and self.lang is Lang.NL:
            # One document in a Dutch sentence takes its article (catalogue/labels: nl_article): "de afwijzende
            # beschikking", "het nader gehoor"; a list of documents does without.
            article = self.article(str(value))
            name = self.id(kind.value, str(value))
            return f"{article} {name}" if article in ("de", "het") else name
        if kind in (Kind.PARTNER, Kind.DOCUMENT, Kind.PURPOSE, Kind.CHANNEL):
            return self.id(kind.value, str(value))
        if kind in (Kind.PARTNERS, Kind.DOCUMENTS, Kind.PURPOSES, Kind.FIELDS, Kind.BASES):
            return self.ids(kind.value.removesuffix("[]"), value)
        if kind is Kind.BASES_WITH_LAW:
            return "; ".join(
                self.fragment(
                    "fragment.basis_with_law",
                    basis=self.id("legal_bases", str(basis["id"])),
                    law=" jo. ".join(self.law_label(s) for s in basis["sources"]),
                )
                for basis in value
            )
        if kind is Kind.LAW:
            return self.law(value)
        if kind is Kind.RETENTION_SOURCE:
            return self.retention_source(value)
        if kind is Kind.DURATION:
            return str(value) if self.lang is Lang.EN else _dutch_duration(str(value))
        if kind is Kind.FLOWS:
            return self.more([str(v) for v in value["flows"]], int(value["more"]))
        if kind is Kind.INBOUND:
            described = [
                self.fragment(
                    "fragment.inbound_flow",
                    id=f["id"],
                    sender=self.id("partners", str(f["from"])),
                    recipient=self.id("partners", str(f["to"])),
                    document=self.id("documents", str(f["document"])),
                )
                for f in value["flows"]
            ]
            return self.more(described, int(value["more"]))
        if kind is Kind.REFERENCE:
            return self.fragment(f"reference.{value}")
        if kind is Kind.KEYS:
            return self.join([str(v) for v in value])
        return str(value)

    def retention_source(self, value: Mapping[str, Any]) -> str:
        by_law = value.get("verified") is True
        source = value.get("source", "") if self.lang is Lang.EN else value.get(f"source_{self.lang.value}", "")
        ident = "fragment.retention_by_law" if by_law else "fragment.retention_default"
        return self.fragment(ident, source=source) if source else self.fragment(f"{ident}.no_source")


_AS_IDS = {
    lang: _Renderer(lang, lambda _kind, ident: ident, lambda source: str(source.get("label", ""))) for lang in Lang
}
"""Renderers that show ids as they are, and the law by its English label: the English message of every finding."""


def _fix_value(kind: FixKind, value: Any) -> str:
    if kind is FixKind.YAML_LIST:
        return yaml_list(value)
    if kind is FixKind.IDS:
        return ", ".join(str(v) for v in value)
    return str(value)


class MessageError(ValueError):
    """A message_id or fix_id without a template, or arguments that do not fit it."""


def render(lang: Lang, ident: str, arguments: Mapping[str, Any], renderer: _Renderer | None = None) -> str:
    """A message in a language: its template with every argument shown as its kind is in that language."""
    text = template(lang, ident)
    if text is None:
        raise MessageError(_("no {lang} template for message '{ident}'").format(lang=lang.value, ident=ident))
    shown = renderer or _AS_IDS[lang]
    try:
        values = {key: shown.show(ARGUMENTS[key], arguments[key]) for key in placeholders(text)}
        return text.format(**_opening(lang, text, values))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise MessageError(
            _("arguments of message '{ident}' do not fit its template: {problem}").format(
                ident=ident, problem=repr(exc)
            )
        ) from exc


def render_fix(lang: Lang, ident: str, arguments: Mapping[str, Any]) -> str:
    """A fix in a language: YAML whose values are the arguments as code and whose comment is in that language."""
    text = template(lang, ident, FIX)
    if text is None:
        raise MessageError(_("no {lang} template for fix '{ident}'").format(lang=lang.value, ident=ident))
    try:
        values = {key: _fix_value(FIX_ARGUMENTS[key], arguments[key]) for key in placeholders(text)}
        return text.format(**values)
    except (KeyError, TypeError, ValueError) as exc:
        raise MessageError(
            _("arguments of fix '{ident}' do not fit its template: {problem}").format(ident=ident, problem=repr(exc))
        ) from exc


def _opening(lang: Lang, text: str, values: dict[str, str]) -> dict[str, str]:
    """The values with the one that opens a Dutch sentence capitalised ("Gemeente heeft ..."): English keeps its
    ids as they are. Applied wherever a template is filled, so that SARIF's arguments give the same text."""
    if lang is Lang.EN or not text.startswith("{"):
        return values
    first = next(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)
    value = values.get(first, "")
    return {**values, first: value[:1].upper() + value[1:]} if value else values


def render_english(
    message_id: str, arguments: Mapping[str, Any], fix_id: Any, fix_arguments: Mapping[str, Any]
) -> tuple[str, str | None]:
    """A finding's English message and fix, as the JSON report and a decision's reasons carry them."""
    message = render(Lang.EN, message_id, arguments)
    return message, None if fix_id is None else render_fix(Lang.EN, fix_id, fix_arguments)


@dataclass(frozen=True)
class Texts:
    """What a person reads of a report, in one language."""

    lang: Lang = field(default_factory=current)
    names: Names = field(default_factory=dict)

    @classmethod
    def of(cls, report: Report, lang: Lang | None = None) -> Texts:
        """The texts of a report, in the given language or the one in use."""
        return cls(lang or current(), report.names)

    def message(self, finding: Finding) -> str:
        """The finding's message; the English one for a finding of a rule this harness has no template for."""
        if self.lang is Lang.EN or not finding.message_id:
            return finding.message
        try:
            return render(self.lang, finding.message_id, finding.arguments, self._renderer())
        except MessageError:
            return finding.message

    def fix(self, finding: Finding) -> str | None:
        """The lawful alternative as YAML, its comments in the reader's language."""
        if self.lang is Lang.EN or finding.fix_id is None:
            return finding.fix
        try:
            return render_fix(self.lang, finding.fix_id, finding.fix_arguments)
        except MessageError:
            return finding.fix

    def arguments(self, finding: Finding) -> dict[str, str]:
        """Each argument of the finding as its message shows it in this language: SARIF's message.arguments, which a
        viewer puts into the rule's messageStrings to get the same text."""
        shown = _AS_IDS[self.lang] if self.lang is Lang.EN else self._renderer()
        out: dict[str, str] = {}
        for key, value in finding.arguments.items():
            kind = ARGUMENTS.get(key)
            try:
                out[key] = shown.show(kind, value) if kind is not None else str(value)
            except (KeyError, TypeError, ValueError, AttributeError, IndexError):
                out[key] = str(value)
        return _opening(self.lang, template(self.lang, finding.message_id) or "", out)

    def name(self, kind: str, ident: str) -> str:
        """A readable name for an id of the catalogue (the id itself when the catalogue has none)."""
        return self.names.get(kind, {}).get(ident, {}).get(self.lang.value, ident)

    def article(self, document: str) -> str:
        """A document's Dutch article (de or het) from catalogue/labels; empty in English or where none is given."""
        if self.lang is not Lang.NL:
            return ""
        return self.names.get("documents", {}).get(document, {}).get("nl_article", "")

    def title(self, finding: Finding) -> str:
        """The title of the rule that produced the finding (its METADATA's custom.nl.title in Dutch)."""
        if self.lang is Lang.NL and finding.title_nl:
            return finding.title_nl
        return finding.title

    def _renderer(self) -> _Renderer:
        return _Renderer(self.lang, self.name, self._cited, self.article)

    def _cited(self, source: Mapping[str, Any]) -> str:
        # A provision as a finding's arguments carry it (label, label_nl where the law catalogue has it,
        # verified), cited as Texts.law cites a LegalSource.
        known = {f.name for f in dataclasses.fields(LegalSource)}
        values: dict[str, Any] = {"label": "", "url": "", "valid_from": "", "verified": False}
        values.update({k: v for k, v in source.items() if k in known})
        return self.law(LegalSource(**values))

    def rule_title(self, rule: RuleInfo) -> str:
        """A rule's title (its METADATA; custom.nl.title in Dutch)."""
        return rule.title_nl or rule.title if self.lang is Lang.NL else rule.title

    def rule_description(self, rule: RuleInfo) -> str:
        """A rule's description (its METADATA; custom.nl.description in Dutch)."""
        return rule.description_nl or rule.description if self.lang is Lang.NL else rule.description

    def law(self, source: LegalSource) -> str:
        """How the reader's language cites a provision: "artikel 107 lid 4 Vreemdelingenwet 2000" in Dutch, "Vw 2000
        art. 107(4)" in English."""
        return source.label_nl or source.label if self.lang is Lang.NL else source.label
