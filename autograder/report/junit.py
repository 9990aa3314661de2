"""JUnit XML, the test report GitLab, Jenkins and most CI systems read.

One <testsuite> for the run, one <testcase> per graded test: classname the exercise, name the test's
title, and for a failed test the feedback as the failure (its summary as the message, the whole
feedback as the text). Points go in the suite's properties and in each failure text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from autograder.feedback import feedback_text
from autograder.i18n import catalogue
from autograder.results import GradeReport, TestResult

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold (student output may contain them)."""


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _points(test: TestResult) -> str:
    return f"{test.score:g}/{test.max_score:g}"


def _testcase(test: TestResult, lang: str) -> ET.Element:
    cat = catalogue(lang)
    case = ET.Element(
        "testcase",
        classname=test.exercise,
        name=_clean(test.name.render(lang)),
        time=f"{test.seconds:.3f}",
        file=test.test_id.split("::", 1)[0],
    )
    if test.status == "skipped":
        reason = test.skip_reason.render(lang) if test.skip_reason else ""
        ET.SubElement(case, "skipped", message=_clean(cat.text("report.skipped", reason=reason)))
    elif test.status in ("failed", "error") and test.feedback is not None:
        kind = "error" if test.status == "error" else "failure"
        body = f"{cat.text('report.points')}: {_points(test)}\n{feedback_text(test.feedback, lang)}"
        element = ET.SubElement(
            case, kind, message=_clean(test.feedback.summary.render(lang)), type=test.feedback.mistake or test.status
        )
        element.text = _clean(body)
    return case


def render(report: GradeReport, lang: str) -> str:
    tests = report.tests
    counts = {
        "tests": str(len(tests)),
        "failures": str(sum(t.status == "failed" for t in tests)),
        "errors": str(sum(t.status == "error" for t in tests)),
        "skipped": str(sum(t.status == "skipped" for t in tests)),
        "time": f"{report.seconds:.3f}",
    }
    root = ET.Element("testsuites", {"name": "autograder", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": f"autograder.{report.suite}", **counts})
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("score", f"{report.score:g}"),
        ("max_score", f"{report.max_score:g}"),
        ("submission", report.submission.source),
        ("grader_version", report.grader_version),
    ):
        ET.SubElement(properties, "property", name=name, value=_clean(value))
    suite.extend(_testcase(test, lang) for test in tests)
    notes = [note.render(lang) for note in report.submission.notes]
    if notes:
        ET.SubElement(suite, "system-out").text = _clean("\n".join(notes))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
