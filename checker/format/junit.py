"""JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure): one test case per flow.

A denied flow is a failed test case whose failure lists its error findings; a flow denied only by baselined
findings is a skipped test case; warnings, info, waived and baselined findings go to the case's system-out.
Input errors are error test cases under the file they are about.

XML 1.0 cannot carry most control characters, not even as character references, and ElementTree writes them
as they are: one ESC in a description would make the whole report unparsable. Every value from the input or
the engine is made printable() first.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - building XML for output, never parsing input

from checker.format import words
from checker.i18n import _
from checker.messages import Texts
from checker.model import Finding, FlowResult, Report, Severity, Verdict
from checker.sanitize import printable, printable_lines


class JunitFormat:
    """One testsuite per file, one testcase per flow; the attribute names are JUnit's, the texts in the reader's
    language."""

    def render(self, report: Report) -> str:
        """The JUnit XML document with a trailing newline."""
        texts = Texts.of(report)
        root = ET.Element("testsuites", name="ketencheck")
        totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for file, results, errors in report.by_file():
            suite = ET.SubElement(root, "testsuite", name=printable(file) or _("(input)"))
            for result in results:
                _case(texts, suite, result)
            for error in errors:
                name = _("line {line}").format(line=error.line) if error.line else _("file")
                case = ET.SubElement(suite, "testcase", name=name, classname=printable(file))
                message = printable(error.message)
                ET.SubElement(case, "error", message=message, type=error.kind).text = message
            counts = {
                "tests": len(results) + len(errors),
                "failures": sum(1 for r in results if r.verdict is Verdict.DENY and not r.baselined),
                "skipped": sum(1 for r in results if r.baselined),
                "errors": len(errors),
            }
            for key, value in counts.items():
                suite.set(key, str(value))
                totals[key] += value
        for key, value in totals.items():
            root.set(key, str(value))
        ET.indent(root)
        return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _case(texts: Texts, suite: ET.Element, result: FlowResult) -> None:
    flow = result.flow
    file = printable(flow.file)
    case = ET.SubElement(suite, "testcase", name=printable(flow.id), classname=file, file=file, line=str(flow.line))
    failing = [f for f in result.findings if f.counts and f.severity is Severity.ERROR]
    if failing:
        failure = ET.SubElement(
            case,
            "failure",
            message=printable("; ".join(f"{f.rule}: {texts.message(f)}" for f in failing)),
            type=printable(failing[0].rule),
        )
        failure.text = "\n\n".join(_describe(texts, f) for f in failing)
    elif result.baselined:
        # Denied but accepted for now by the baseline: skipped, the CI's word for "known, not failing".
        skipped = _("baselined: denied, accepted for now ({flow})").format(flow=flow.id)
        ET.SubElement(case, "skipped", message=printable(skipped))
    other = [f for f in result.findings if f not in failing]
    if other:
        ET.SubElement(case, "system-out").text = "\n\n".join(_describe(texts, f) for f in other)


def _describe(texts: Texts, finding: Finding) -> str:
    lines = [
        printable(f"{words.accepted(finding)} {finding.rule}: {texts.message(finding)}"),
        printable(_("law:") + " " + "; ".join(words.laws(texts, finding))),
    ]
    fix = texts.fix(finding)
    if fix:
        lines += [_("fix:"), *printable_lines(fix)]
    if finding.waiver:
        w = finding.waiver
        lines.append(printable(f"{words.waiver_accepted(w)}: {w.justification}"))
    return "\n".join(lines)
