"""What a student sees at once on Gradescope gives away nothing about the tests shown later."""

from __future__ import annotations

import pytest

from autograder.feedback import Feedback
from autograder.i18n import Message, catalogue
from autograder.report import gradescope
from autograder.results import GradeReport, SubmissionInfo
from autograder.results import TestResult as Result


def _report(later_passed: bool) -> GradeReport:
    shown = Result("t::shown", Message("test.learn_kernel.text_example"), "learn_kernel", 15, 15, "passed")
    later = Result(
        "t::later",
        Message("test.learn_kernel.other_kernel"),
        "learn_kernel",
        5,
        5 if later_passed else 0,
        "passed" if later_passed else "failed",
        visibility="after_due_date",
        feedback=None
        if later_passed
        else Feedback(summary=Message("failure.raised.call", {"name": "x", "error": "E"})),
    )
    return GradeReport(suite="hidden", tests=[shown, later], submission=SubmissionInfo("s"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_visible_summary_is_the_same_whatever_a_later_test_did(lang):
    passed = gradescope.results(_report(later_passed=True), lang)
    failed = gradescope.results(_report(later_passed=False), lang)
    assert passed["output"] == failed["output"]
    assert "15 / 15" in failed["output"]
    assert catalogue(lang).text("report.gs_withheld", points="5") in failed["output"]


def test_the_tests_themselves_keep_their_visibility_and_the_total_its_points():
    results = gradescope.results(_report(later_passed=False), "en")
    assert [t["visibility"] for t in results["tests"]] == ["visible", "after_due_date"]
    assert results["score"] == 15
