"""`ketencheck policy verify`: every invariant against the exposure, every row against the pack's row checks."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from checker.i18n import Lang, _, current, ngettext
from checker.pack.analysis import Analysis, Hop, Invariant, RowFinding, chain_key, flow_id, witness_flows, witnesses
from checker.pack.exposure import text_lines
from checker.sanitize import markdown_fence, markdown_text


@dataclass(frozen=True)
class Violation:
    """What one partner can hold of one document against one invariant, with the flows that get it there."""

    invariant: Invariant
    partner: str
    document: str
    fields: tuple[str, ...]
    flows: tuple[Mapping[str, Any], ...]
    """A witness chain per group of fields, as a flow file holds them; empty when the partner originates it."""


@dataclass(frozen=True)
class Verification:
    """The outcome of `policy verify`."""

    analysis: Analysis
    violations: tuple[Violation, ...]

    @property
    def failed(self) -> bool:
        """Exit 1: a violated invariant, a malformed one, or a row that breaks a row check."""
        return bool(self.violations or self.analysis.malformed or self.analysis.row_findings)

    def violated(self, invariant: Invariant) -> list[Violation]:
        """The violations of one invariant."""
        return [v for v in self.violations if v.invariant.id == invariant.id]


def verify(analysis: Analysis) -> Verification:
    """Group the pack's violations by invariant, partner and document, each with its witness flows."""
    chains = witnesses(analysis)
    by_id = {i.id: i for i in analysis.invariants}
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for invariant, partner, document, f in analysis.violations:
        grouped.setdefault((invariant, partner, document), []).append(f)
    out = []
    for (invariant, partner, document), fields in sorted(grouped.items()):
        by_chain: dict[Any, list[tuple[str, tuple[Hop, ...]]]] = {}
        for f in sorted(fields):
            hops = chains[(partner, document, f)]
            by_chain.setdefault(chain_key(hops), []).append((f, hops))
        flows: list[Mapping[str, Any]] = []
        for n, items in enumerate(by_chain.values(), 1):
            if items[0][1]:
                suffix = [str(n)] if len(by_chain) > 1 else []
                flows += witness_flows(flow_id("witness", partner, document, *suffix), items)
        out.append(Violation(by_id[invariant], partner, document, tuple(sorted(fields)), tuple(flows)))
    return Verification(analysis, tuple(out))


def witness_yaml(flows: tuple[Mapping[str, Any], ...]) -> str:
    """The witness as a flow file: valid under schemas/flowfile.json, allowed by `ketencheck check`."""
    document = {
        "version": 1,
        "flows": [{"id": f["id"], "description": _("witness: a chain of flows the pack allows"), **f} for f in flows],
    }
    text: str = yaml.safe_dump(document, sort_keys=False, default_flow_style=None, allow_unicode=True, width=120)
    return text


def _refs(analysis: Analysis, invariant: Invariant) -> str:
    dutch = current() is Lang.NL
    return "; ".join((s.label_nl or s.label) if dutch else s.label for s in analysis.law_labels(invariant.legal_refs))


def _column(*statuses: str) -> int:
    # The status column is as wide as its longest word and a space, at least the 10 the English layout has.
    return max(10, *(len(status) + 1 for status in statuses))


def render_text(result: Verification) -> str:
    """For a terminal or a CI log."""
    a = result.analysis
    violated_word, ok, malformed, broken, exempt = _("VIOLATED"), _("ok"), _("MALFORMED"), _("BROKEN"), _("exempt")
    width = _column(violated_word, ok, malformed, broken, exempt)
    indent = " " * (width + 2)
    lines = [
        _("verify {pack}: {invariants} invariants against the exposure, {checks} row checks over {rows} rows").format(
            pack=a.name, invariants=len(a.invariants), checks=len(a.row_checks) + 2, rows=a.rows
        ),
        "",
        _("invariants"),
    ]
    for inv in a.invariants:
        violated = result.violated(inv)
        lines.append(f"  {(violated_word if violated else ok).ljust(width)}{inv.id}: {inv.statement}")
        if violated:
            lines.append(indent + _("owner: {owner}; law: {law}").format(owner=inv.owner, law=_refs(a, inv)))
        for v in violated:
            lines.append(
                indent
                + _("{partner} can hold {document}: {fields}").format(
                    partner=v.partner, document=v.document, fields=", ".join(v.fields)
                )
            )
            if v.flows:
                lines.append(indent + _("witness, flows `ketencheck check` allows (paste into a flow file):"))
                lines += [f"{indent}  {line}" for line in witness_yaml(v.flows).splitlines()]
            else:
                lines.append(
                    indent + _("({partner} originates {document})").format(partner=v.partner, document=v.document)
                )
    for invariant, problem in a.malformed:
        lines.append(f"  {malformed.ljust(width)}{invariant}: {problem}")
    lines += ["", _("row checks")]
    for f in a.row_findings:
        lines.append(
            f"  {broken.ljust(width)}"
            + _("{check}: row {row}{recipient} {message}").format(
                check=f.check, row=f.row, recipient=_for(f), message=f.message
            )
        )
    if not a.row_findings:
        lines.append(f"  {ok.ljust(width)}" + _("every row passes {checks}").format(checks=", ".join(_all_checks(a))))
    for check, rows, reason in _exempt(a):
        lines.append(f"  {exempt.ljust(width)}{check}: {rows}: {reason}")
    lines += ["", _summary(result)]
    return text_lines(lines)


def _exempt(a: Analysis) -> list[tuple[str, str, str]]:
    """The exemptions by check and reason: each reason once, with the rows it exempts."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for check, row, recipient, reason in a.exemptions:
        grouped.setdefault((check, " ".join(reason.split())), []).append(f"{row} ({recipient})")
    return [
        (check, _("rows {rows}").format(rows=", ".join(rows)), reason)
        for (check, reason), rows in sorted(grouped.items())
    ]


def _for(f: RowFinding) -> str:
    return f" ({f.recipient})" if f.recipient else ""


def _all_checks(a: Analysis) -> list[str]:
    return [*sorted(a.row_checks), "row_fields_in_documents", "purpose_of_recipient"]


def _summary(result: Verification) -> str:
    a = result.analysis
    violated = len({v.invariant.id for v in result.violations})
    broken = len(a.row_findings)
    if not result.failed:
        return _("all {count} invariants hold and every row passes its checks").format(count=len(a.invariants))
    return ngettext(
        "{violated} of {count} invariants violated, {malformed} malformed, {broken} row check finding",
        "{violated} of {count} invariants violated, {malformed} malformed, {broken} row check findings",
        broken,
    ).format(violated=violated, count=len(a.invariants), malformed=len(a.malformed), broken=broken)


def render_markdown(result: Verification) -> str:
    """For a pull-request comment or a page."""
    a = result.analysis
    lines = [
        _("## Verify {pack}").format(pack=markdown_text(a.name)),
        "",
        f"**{markdown_text(_summary(result))}**",
        "",
    ]
    lines += [_("| invariant | holds | owner | law |"), "|---|---|---|---|"]
    for inv in a.invariants:
        holds = _("**no**") if result.violated(inv) else _("yes")
        lines.append(
            f"| {markdown_text(inv.id)}: {markdown_text(inv.statement)} | "
            f"{holds} | {markdown_text(inv.owner)} | "
            f"{markdown_text(_refs(a, inv))} |"
        )
    for v in result.violations:
        lines += [
            "",
            _("### {invariant}: {partner} can hold {document} ({fields})").format(
                invariant=markdown_text(v.invariant.id),
                partner=markdown_text(v.partner),
                document=markdown_text(v.document),
                fields=markdown_text(", ".join(v.fields)),
            ),
            "",
        ]
        if v.flows:
            lines += markdown_fence(witness_yaml(v.flows), "yaml")
        else:
            lines.append(
                _("{partner} originates {document}.").format(
                    partner=markdown_text(v.partner), document=markdown_text(v.document)
                )
            )
    for invariant, problem in a.malformed:
        lines.append(
            _("- malformed invariant {invariant}: {problem}").format(
                invariant=markdown_text(invariant), problem=markdown_text(problem)
            )
        )
    lines += ["", _("### Row checks"), ""]
    for f in a.row_findings:
        lines.append(
            _("- **{check}**: row {row}{recipient} {message}").format(
                check=markdown_text(f.check),
                row=markdown_text(f.row),
                recipient=markdown_text(_for(f)),
                message=markdown_text(f.message),
            )
        )
    if not a.row_findings:
        lines.append(_("Every row passes {checks}.").format(checks=markdown_text(", ".join(_all_checks(a)))))
    for check, rows, reason in _exempt(a):
        lines.append(
            _("- exempt from {check}: {rows}: {reason}").format(
                check=markdown_text(check), rows=markdown_text(rows), reason=markdown_text(reason)
            )
        )
    return "\n".join(lines) + "\n"


def render_json(result: Verification) -> str:
    """One JSON document for tools."""
    a = result.analysis
    document = {
        "version": 1,
        "pack": dict(a.pack),
        "passed": not result.failed,
        "invariants": [
            {
                "id": inv.id,
                "statement": inv.statement,
                "owner": inv.owner,
                "legal_refs": [s.label for s in a.law_labels(inv.legal_refs)],
                "holds": not result.violated(inv),
                "violations": [
                    {"partner": v.partner, "document": v.document, "fields": list(v.fields), "witness": list(v.flows)}
                    for v in result.violated(inv)
                ],
            }
            for inv in a.invariants
        ],
        "malformed": [{"invariant": i, "problem": p} for i, p in a.malformed],
        "row_findings": [
            {"check": f.check, "row": f.row, "recipient": f.recipient, "message": f.message} for f in a.row_findings
        ],
        "exemptions": [{"check": c, "row": r, "recipient": p, "reason": m} for c, r, p, m in a.exemptions],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
