"""`grade --junit FILE`: JUnit XML for GitLab and Jenkins, one testcase per test, feedback as failure."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from autograder import results as outcome
from autograder.feedback import Feedback
from autograder.i18n import msg
from autograder.report import junit
from autograder.units.convolutions import UNIT
from tests.kit.conftest import read_results, run_cli

FLIPPED = UNIT.samples / "flipped_kernel"


def test_grade_writes_a_testcase_per_test_with_the_feedback_as_failure(tmp_path):
    report_file = tmp_path / "reports" / "junit.xml"
    result = run_cli("grade", str(FLIPPED), "--out", str(tmp_path / "out"), "--junit", str(report_file))
    assert result.returncode == 0, result.stderr
    root = ET.parse(report_file).getroot()
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    results = read_results(tmp_path / "out")
    assert len(cases) == len(results["tests"]) == int(suite.get("tests"))
    assert {case.get("classname") for case in cases} == set(UNIT.tags)
    properties = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert float(properties["score"]) == results["score"]
    failures = [case.find("failure") for case in cases if case.find("failure") is not None]
    assert len(failures) == int(suite.get("failures")) > 0
    flipped = next(f for f in failures if f.get("type") == "flipped_kernel")
    assert "convolution, not a cross-correlation" in flipped.get("message")
    assert "Smallest input that fails" in flipped.text
    assert flipped.text.startswith("Points: 0/")
    skipped = [case for case in cases if case.find("skipped") is not None]
    assert len(skipped) == int(suite.get("skipped"))
    passed = [case for case in cases if len(case) == 0]
    assert passed
    assert all(case.get("name") for case in cases)


def test_fail_under_still_writes_the_report(tmp_path):
    report_file = tmp_path / "junit.xml"
    result = run_cli("grade", str(FLIPPED), "--fail-under", "50", "--junit", str(report_file))
    assert result.returncode == 3
    assert ET.parse(report_file).getroot().find("testsuite").get("failures") != "0"


def test_what_students_print_cannot_break_the_xml():
    feedback = Feedback(
        summary=msg("failure.raised.call", name="corr2d", error="ValueError"), code="\x00\x1b[31m<&>]]>"
    )
    test = outcome.TestResult("t::x", msg("test.corr2d.edges"), "corr2d", 2, 0, "failed", feedback=feedback)
    report = outcome.GradeReport(
        "hidden",
        [test],
        outcome.SubmissionInfo("a\x07b", ["ex1_corr2d.py"], [msg("loader.too_large", file="x", limit=1)]),
    )
    root = ET.fromstring(junit.render(report, "en").encode())
    failure = root.find("testsuite/testcase/failure")
    assert "<&>]]>" in failure.text
    assert "\x00" not in failure.text
    assert "larger than 1 KiB" in root.find("testsuite/system-out").text
