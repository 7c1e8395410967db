"""The law a rule cites, as in force on a date: for what shows a rule's METADATA outside an evaluation.

Findings come from the policy pack already resolved (lib/law.rego); a rule's METADATA, read with `opa inspect`,
lists provision ids. This module resolves those the same way, from the pack's catalogue/law, so that `explain`,
`policy docs` and SARIF rule descriptions show labels and links. tests/test_law.py checks it against the policy.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from checker.model import LegalSource, RuleInfo

# Juriconnect 1.3: the structure parts in this order, leaving out those the act does not have (lib/law.rego).
_JCI_PARTS = ("hoofdstuk", "titeldeel", "titel", "afdeling", "paragraaf", "artikel", "lid")


def resolve(law: Mapping[str, Any], ref: str, day: datetime.date) -> LegalSource | None:
    """A provision id or old-style label as cited on the day; an unknown one as written, unverified, no link;
    None for a provision that does not exist on the day."""
    provisions: Mapping[str, Any] = law.get("provisions", {})
    pid = ref if ref in provisions else _aliases(provisions).get(ref)
    if pid is None:
        return LegalSource(ref, "", "", False, ref)
    version = _in_force(provisions[pid]["versions"], day.isoformat())
    if version.get("absent"):
        return None
    act = law.get("acts", {}).get(version.get("act"), {})
    return LegalSource(
        version["label"],
        _url(act, version, day.isoformat()),
        version["valid_from"],
        version["verified"],
        label_nl(act, version),
    )


def basis_sources(
    law: Mapping[str, Any], bases: Mapping[str, Any], basis: str, day: datetime.date
) -> tuple[LegalSource, ...]:
    """The provisions a legal basis rests on, as cited on the day (lib/law.rego basis_sources): its `law` list, else
    the provision of the same id, else its `short` citation as written; labels not repeated."""
    entry = bases.get(basis, {})
    refs = entry.get("law") or ([basis] if basis in law.get("provisions", {}) else [str(entry.get("short", basis))])
    sources: list[LegalSource] = []
    for ref in refs:
        source = resolve(law, ref, day)
        if source is not None and all(s.label != source.label for s in sources):
            sources.append(source)
    return tuple(sources)


def label_nl(act: Mapping[str, Any], version: Mapping[str, Any]) -> str:
    """The Dutch citation of a version, from its structure (lib/index.rego builds the same): "AVG art. 5 lid 1
    onder c" for EU law, "artikel 107 lid 4 Vreemdelingenwet 2000" for Dutch law, the act's name for the whole act."""
    name = str(act.get("name_nl", ""))
    if not version.get("artikel"):
        return name
    book = f"{act['boek']}:" if act.get("boek") else ""
    parts = [
        f"{book}{version['artikel']}",
        *(f"{part} {version[part]}" for part in ("lid", "onder") if version.get(part)),
    ]
    provision = " ".join(parts)
    return f"{name} art. {provision}" if act.get("eli") else f"artikel {provision} {name}"


def resolve_rules(rules: Sequence[RuleInfo], law: Mapping[str, Any], day: datetime.date) -> tuple[RuleInfo, ...]:
    """The rules with their legal_refs as labels of the day and legal_sources alongside, labels not repeated."""
    resolved = []
    for rule in rules:
        sources: list[LegalSource] = []
        for ref in rule.legal_refs:
            source = resolve(law, ref, day)
            if source is not None and all(s.label != source.label for s in sources):
                sources.append(source)
        resolved.append(
            dataclasses.replace(rule, legal_refs=tuple(s.label for s in sources), legal_sources=tuple(sources))
        )
    return tuple(resolved)


def _aliases(provisions: Mapping[str, Any]) -> dict[str, str]:
    return {alias: pid for pid, p in provisions.items() for alias in p.get("aliases", [])}


def _in_force(versions: Sequence[Mapping[str, Any]], day: str) -> Mapping[str, Any]:
    started = [v for v in versions if v["valid_from"] <= day]
    if started:
        return started[-1]
    # Before the first version the first applies, unverified: its text on that day was not read.
    return {**versions[0], "verified": False}


def _url(act: Mapping[str, Any], version: Mapping[str, Any], day: str) -> str:
    if "bwb" not in act:
        return str(act.get("eli", ""))
    parts = "".join(f"&{part}={version[part]}" for part in _JCI_PARTS if version.get(part))
    return f"https://wetten.overheid.nl/jci1.3:c:{act['bwb']}{parts}&z={day}&g={day}"
