"""Findings and ids in the reader's language.

The policies produce a finding as data (message_id and arguments); this module renders it. Formatters and the
audit ask a `Texts` for every word they show of a finding: its message, its fix, the names of ids and the citation
of the law, so that a report is in one language from top to bottom.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from checker.i18n import Lang, current
from checker.model import Finding, LegalSource, Report, RuleInfo

Names = Mapping[str, Mapping[str, Mapping[str, str]]]
"""kind (partners, documents, fields, purposes, legal_bases, ...) -> id -> lang -> readable name."""


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
        """The finding's message."""
        return finding.message

    def fix(self, finding: Finding) -> str | None:
        """The lawful alternative as YAML, its comments in the reader's language."""
        return finding.fix

    def name(self, kind: str, ident: str) -> str:
        """A readable name for an id of the catalogue (the id itself when the catalogue has none)."""
        return self.names.get(kind, {}).get(ident, {}).get(self.lang.value, ident)

    def title(self, finding: Finding) -> str:
        """The title of the rule that produced the finding."""
        return finding.title

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
