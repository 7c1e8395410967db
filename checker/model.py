"""The values ketencheck works with: flows, findings, input errors and the report that decides the gate."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NewType

from checker.i18n import _

FlowId = NewType("FlowId", str)
RuleName = NewType("RuleName", str)


class Severity(enum.StrEnum):
    """How much a finding weighs: an error denies the flow, a warning informs (or denies under --fail-on)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe; used to order findings and to compare against --fail-on."""
        return {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}[self]


class Verdict(enum.StrEnum):
    """The outcome for one flow."""

    ALLOW = "allow"
    DENY = "deny"


class ExitCode(enum.IntEnum):
    """The exit codes of docs/contract.md; the highest that applies wins."""

    OK = 0
    DENIED = 1
    INPUT_ERROR = 2
    ENGINE_ERROR = 3


@dataclass(frozen=True)
class Flow:
    """One proposed data flow, as written in a flow file and validated against the schema."""

    id: FlowId
    """Unique across everything checked together."""
    file: str
    """The file it came from, as named on the command line (or found under a named directory)."""
    line: int
    """1-based line of the flow's entry in the file."""
    index: int
    """Position of the flow in its file's list, for ordering."""
    document: Mapping[str, Any] = field(repr=False, compare=False, hash=False)
    """The flow exactly as written: what the policies receive as input."""
    column: int = 1
    """1-based column where the flow's entry starts (after "- " in YAML, at "id" in JSON)."""


@dataclass(frozen=True)
class Waiver:
    """An organisation's accountable acceptance of one finding: who approved it, on what ground, until when."""

    flow: FlowId
    """The flow whose finding is accepted."""
    rule: RuleName
    """The rule whose finding is accepted."""
    justification: str
    """Why the finding is accepted for now."""
    approver: str
    """The role that approved it, e.g. FG (functionaris gegevensbescherming)."""
    dpia: str
    """The DPIA (or FG decision) that weighs the risk."""
    expires: datetime.date
    """The last day the waiver applies."""
    file: str
    """The waiver file, as named on the command line."""
    line: int
    """1-based line of the waiver's entry."""
    subject: Mapping[str, Any] | None = field(default=None, hash=False)
    """What the accepted finding was about (its fields, missing bases, ...); None in a version 1 file."""
    digest: str | None = None
    """sha256 of the flow's judged content when the finding was accepted; None in a version 1 file."""

    @property
    def bound(self) -> bool:
        """Whether the waiver names the finding and the flow's content (version 2), not only flow and rule."""
        return self.digest is not None


class WaiverStatus(enum.StrEnum):
    """What became of a waiver in a run."""

    APPLIED = "applied"
    """It matched a finding, which is reported as waived."""
    UNBOUND = "unbound"
    """A version 1 waiver that matched flow and rule: applied, but it would follow the flow into any change."""
    EXPIRED = "expired"
    """Its expiry date has passed: the finding it named counts again."""
    STALE = "stale"
    """The flow still has a finding of the rule, but the flow or the finding changed since it was accepted."""
    REFUSED = "refused"
    """It names a finding that cannot be waived (the rule could not judge the flow)."""
    UNMATCHED = "unmatched"
    """No finding matched it: the flow was fixed or renamed, or the waiver has a typo."""


@dataclass(frozen=True)
class WaiverResult:
    """A waiver and its status; every status but applied is a warning about the waiver file."""

    waiver: Waiver
    status: WaiverStatus

    @property
    def severity(self) -> Severity | None:
        """warning for a waiver that did not apply as approved, None for one that applied."""
        return None if self.status is WaiverStatus.APPLIED else Severity.WARNING

    @property
    def message(self) -> str:
        """What the status means for a person, in English (the JSON report's text)."""
        return self.describe()

    def describe(self, _: Callable[[str], str] = str) -> str:
        """What the status means for a person, each sentence through `_` (the formats' gettext): one source for the
        English of the JSON report and the text in the reader's language."""
        w = self.waiver
        values = {"rule": w.rule, "flow": w.flow, "expires": w.expires.isoformat(), "approver": w.approver}
        values |= {"dpia": w.dpia, "upgrade": f"`ketencheck waiver add {w.flow} {w.rule} ...`"}
        if self.status is WaiverStatus.EXPIRED:
            text = _("waiver for {rule} on {flow} expired on {expires}; the finding counts again")
        elif self.status is WaiverStatus.UNMATCHED:
            text = _("waiver for {rule} on {flow} matches no finding; remove it or correct the flow id and rule")
        elif self.status is WaiverStatus.STALE:
            text = _(
                "waiver for {rule} on {flow} no longer applies: the flow or the finding changed since it was "
                "approved; the finding counts again (have the change approved and record it with {upgrade})"
            )
        elif self.status is WaiverStatus.REFUSED:
            text = _(
                "{rule} cannot be waived: it means the flow could not be judged, and the gate never passes "
                "what it could not check; correct the flow (waiver for {flow})"
            )
        elif self.status is WaiverStatus.UNBOUND:
            text = _(
                "version 1 waiver for {rule} on {flow} is not bound to the flow's content: it would also "
                "accept whatever the flow is changed into; replace it with {upgrade} (waiver file version 2)"
            )
        else:
            text = _("waives {rule} on {flow} until {expires} (approved by {approver}, {dpia})")
        return text.format(**values)


@dataclass(frozen=True)
class LegalSource:
    """One legal reference of a finding as in force on the evaluation date, with the official text of that date."""

    label: str
    """What the finding cites, e.g. "Vw 2000 art. 107(10)"; the same string as in legal_refs."""
    url: str
    """The official text: Juriconnect 1.3 on wetten.overheid.nl for that date, or the ELI on EUR-Lex; empty if none."""
    valid_from: str
    """First day of the version cited (YYYY-MM-DD); empty for a reference the law catalogue does not know."""
    verified: bool
    """Whether the catalogue's quote of this version was checked against its text; false means "text not verified"."""
    label_nl: str = ""
    """The same provision as Dutch text cites it, e.g. "artikel 107 lid 10 Vreemdelingenwet 2000": built from the law
    catalogue's structure (lib/index.rego, checker/law.py); empty from a pack that predates it."""


@dataclass(frozen=True)
class Notice:
    """A warning about an input other than the flows, such as a stale baseline entry."""

    file: str
    line: int | None
    kind: str
    """A short id, e.g. baseline_stale."""
    message: str
    template: str = ""
    """The English text with named {placeholders} that message was made from, the msgid for another language."""
    arguments: Mapping[str, str] = field(default_factory=dict, hash=False)
    """The values of the template's placeholders."""

    def describe(self, _: Callable[[str], str] = str) -> str:
        """The message through `_` (the formats' gettext): the reader's language where there is a template."""
        return _(self.template).format(**self.arguments) if self.template else self.message

    @property
    def severity(self) -> Severity:
        """Always a warning: it counts under --fail-on warning."""
        return Severity.WARNING


@dataclass(frozen=True)
class Finding:
    """One rule's verdict about one flow, as the policy pack produced it.

    The policies send the message as data (message_id, arguments) and the fix as data (fix_id, fix_arguments);
    `message` and `fix` are their English renderings (checker/messages.py), as the JSON report and every English
    output show them. checker.messages.Texts renders them in the reader's language."""

    flow: FlowId
    """The flow the finding is about."""
    rule: RuleName
    """The policy's own rule name, e.g. integral_not_proportional."""
    severity: Severity
    """error, warning or info."""
    message: str
    """What is wrong, for a person."""
    legal_refs: tuple[str, ...]
    """The law the flow breaks, e.g. "AVG art. 5(1)(c)"."""
    fix: str | None = None
    """The lawful alternative as YAML to paste into the flow, where one exists."""
    title: str = ""
    """The rule's title from its METADATA."""
    waiver: Waiver | None = None
    """The waiver that accepts this finding, if one applies: it stays visible but no longer counts."""
    legal_sources: tuple[LegalSource, ...] = ()
    """legal_refs with the version cited and its link, one for one, where the policy pack supplies them."""
    subject: Mapping[str, Any] = field(default_factory=dict, hash=False)
    """What varies between findings of the rule (the surplus fields, the missing bases, ...)."""
    digest: str = ""
    """sha256 of the flow's judged content, as the policies computed it: what a waiver binds to."""
    waivable: bool = True
    """False for a rule whose METADATA says custom.waivable: false: no waiver or baseline accepts it."""
    scope: str = "flow"
    """flow (a single-flow rule) or chain (a finding that depends on other flows of the set)."""
    message_id: str = ""
    """Which sentence the message is: a msgid of the gettext domain `findings` (empty from a pack that sends text)."""
    arguments: Mapping[str, Any] = field(default_factory=dict, hash=False)
    """The ids and values the message needs, by argument name (checker.messages.ARGUMENTS says their kinds)."""
    fix_id: str | None = None
    """Which YAML template the fix is (msgctxt "fix" of the domain `findings`), where the finding has a fix."""
    fix_arguments: Mapping[str, Any] = field(default_factory=dict, hash=False)
    """The ids the fix puts into its YAML (checker.messages.FIX_ARGUMENTS)."""
    title_nl: str = ""
    """The rule's Dutch title (its METADATA's custom.nl.title; the English one where it has none)."""
    baselined: bool = False
    """A baseline (--baseline) accepts this finding for now: it stays visible and keeps its flow denied, but it no
    longer counts for the exit code."""

    @property
    def counts(self) -> bool:
        """Whether the finding weighs in the exit code (a waived or baselined one does not)."""
        return self.waiver is None and not self.baselined

    def sort_key(self) -> tuple[int, str, str]:
        """Most severe first, then by rule and message, so that output is deterministic."""
        return (-self.severity.rank, self.rule, self.message)


@dataclass(frozen=True)
class InvalidInput:
    """A problem with the input that stopped some of it from being checked (exit 2)."""

    file: str
    """The file, as named on the command line; empty for problems that are not about a file."""
    line: int | None
    """1-based line, where known."""
    message: str
    """What is wrong, in plain words, naming the offending key."""
    kind: str = "input_error"
    """input_error, or engine_error for a run the engine could not finish (the report files of a failed run)."""


@dataclass(frozen=True)
class FlowFacts:
    """What the policies established about one flow beyond its findings, for the audit (Request(facts=True))."""

    carried: tuple[str, ...]
    """The fields the flow carries that its document holds, as the rules count them, sorted."""
    categories: tuple[str, ...]
    """The distinct GDPR categories of those fields, sorted."""
    allowed_form: str
    """integral, extract or none: the widest form any matrix row gives the flow's recipient for its document."""
    row: str | None
    """The id of the matrix row for the flow's recipient, document and purpose; None when there is none."""


@dataclass(frozen=True)
class FlowResult:
    """A flow with its findings and the verdict they give."""

    flow: Flow
    findings: tuple[Finding, ...]
    facts: FlowFacts | None = field(default=None, compare=False)
    """What the evaluation established about the flow, when the run asked for facts (the audit); else None."""

    @property
    def verdict(self) -> Verdict:
        """deny when at least one error finding is not waived, else allow (docs/contract.md).

        A baselined error still denies: the baseline accepts the denial for now, it does not make the flow lawful.
        """
        if any(f.severity is Severity.ERROR and f.waiver is None for f in self.findings):
            return Verdict.DENY
        return Verdict.ALLOW

    @property
    def baselined(self) -> bool:
        """Denied only by findings a baseline accepts: shown as BASELINED, ignored by the exit code."""
        errors = [f for f in self.findings if f.severity is Severity.ERROR and f.waiver is None]
        return bool(errors) and all(f.baselined for f in errors)


@dataclass(frozen=True)
class EngineInfo:
    """What produced the verdicts, recorded in every report."""

    name: str
    """The engine, e.g. opa."""
    version: str
    """The OPA version that evaluated the policies."""
    pack: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """The policy pack's name and version."""
    revision: str = ""
    """The pack's revision as the engine loaded it: the manifest revision of the bundle it evaluated (for a policy
    directory, of the copy ketencheck made of it: version+digest of its files)."""
    source: str = ""
    """Where the pack came from: the policy directory (KETENCHECK_POLICIES or --policies) or bundle file, or the
    server's URL."""

    @property
    def pack_in_use(self) -> str:
        """The pack as every report names it, in the reader's language: name and version, revision, source (a
        swapped pack must show)."""
        name = " ".join(str(self.pack.get(key, "")) for key in ("name", "version")).strip() or _("unknown pack")
        pack = name
        if self.revision:
            pack += _(", revision {revision}").format(revision=self.revision)
        if self.source:
            # "bundled" is a word; any other source is a path or an address, shown as it is.
            pack += ", " + (_("bundled") if self.source == "bundled" else self.source)
        return pack


@dataclass(frozen=True)
class RuleInfo:
    """A rule of the policy pack, from its METADATA: what `explain`, SARIF and `policy docs` show."""

    name: RuleName
    scope: str
    """flow (a single-flow rule, data.ketencheck.rules) or chain (data.ketencheck.chain)."""
    title: str
    description: str
    severity: Severity
    legal_refs: tuple[str, ...]
    resources: tuple[tuple[str, str], ...] = ()
    """(url, description) pairs from related_resources."""
    file: str = ""
    """The policy file, relative to the policy directory."""
    legal_sources: tuple[LegalSource, ...] = ()
    """legal_refs resolved for the evaluation date, where the CLI resolved them (checker.law)."""
    title_nl: str = ""
    """The title in Dutch (METADATA custom.nl.title); empty from a pack that has none."""
    description_nl: str = ""
    """The description in Dutch (METADATA custom.nl.description); empty from a pack that has none."""


@dataclass(frozen=True)
class Report:
    """Everything one run found. The gate decision lives here, not in the CLI."""

    results: tuple[FlowResult, ...]
    errors: tuple[InvalidInput, ...]
    engine: EngineInfo | None = None
    waivers: tuple[WaiverResult, ...] = ()
    rules: tuple[RuleInfo, ...] = ()
    """The policy pack's rules, where a format needs their METADATA (SARIF); empty otherwise."""
    notices: tuple[Notice, ...] = ()
    """Warnings about other inputs: stale baseline entries, a baseline of the old format."""
    explanation: Mapping[str, Any] | None = field(default=None, compare=False)
    """For `explain`: the matrix rows the policies consulted for the flow, and its lawful alternatives."""
    names: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict, compare=False)
    """Readable names of the catalogue's ids, kind -> id -> lang -> name (catalogue/labels), where the run asked the
    pack for them: what checker.messages.Texts names ids by."""

    @classmethod
    def create(
        cls,
        flows: Sequence[Flow],
        findings: Sequence[Finding],
        errors: Sequence[InvalidInput],
        engine: EngineInfo | None = None,
        waivers: Sequence[WaiverResult] = (),
        facts: Mapping[FlowId, FlowFacts] | None = None,
    ) -> Report:
        """Group findings by flow and order everything as docs/contract.md requires (file, then position)."""
        by_flow: dict[str, list[Finding]] = {f.id: [] for f in flows}
        for finding in findings:
            by_flow[finding.flow].append(finding)
        known = facts or {}
        results = tuple(
            FlowResult(flow, tuple(sorted(by_flow[flow.id], key=Finding.sort_key)), known.get(flow.id))
            for flow in sorted(flows, key=lambda f: (f.file, f.index))
        )
        ordered_errors = tuple(sorted(errors, key=lambda e: (e.file, e.line or 0, e.message)))
        ordered_waivers = tuple(sorted(waivers, key=lambda w: (w.waiver.file, w.waiver.line)))
        return cls(results, ordered_errors, engine, ordered_waivers)

    def by_file(self) -> list[tuple[str, list[FlowResult], list[InvalidInput]]]:
        """Every file named in the report, sorted, with its flows (in file order) and its input errors."""
        errors: dict[str, list[InvalidInput]] = {}
        for error in self.errors:
            errors.setdefault(error.file, []).append(error)
        results: dict[str, list[FlowResult]] = {}
        for result in self.results:
            results.setdefault(result.flow.file, []).append(result)
        return [(file, results.get(file, []), errors.get(file, [])) for file in sorted(set(results) | set(errors))]

    @property
    def allowed(self) -> int:
        """How many flows were allowed."""
        return sum(1 for r in self.results if r.verdict is Verdict.ALLOW)

    @property
    def denied(self) -> int:
        """How many flows were denied and fail the gate (baselined ones are counted apart)."""
        return len(self.results) - self.allowed - self.baselined

    @property
    def baselined(self) -> int:
        """How many flows were denied only by findings a baseline accepts."""
        return sum(1 for r in self.results if r.baselined)

    @property
    def baselined_findings(self) -> int:
        """How many findings a baseline accepts."""
        return sum(1 for r in self.results for f in r.findings if f.baselined)

    @property
    def waived(self) -> int:
        """How many findings a waiver accepted."""
        return sum(1 for r in self.results for f in r.findings if f.waiver is not None)

    def count(self, severity: Severity) -> int:
        """How many findings of a severity still count (waived ones do not), waiver warnings included."""
        found = sum(1 for r in self.results for f in r.findings if f.counts and f.severity is severity)
        found += sum(1 for n in self.notices if n.severity is severity)
        return found + sum(1 for w in self.waivers if w.severity is severity)

    def exit_code(self, fail_on: Severity = Severity.ERROR) -> ExitCode:
        """The highest exit code that applies: input errors (2) over denials (1) over a clean run (0)."""
        if self.errors:
            return ExitCode.INPUT_ERROR
        if any(self.count(s) for s in Severity if s.rank >= fail_on.rank):
            return ExitCode.DENIED
        return ExitCode.OK
