"""Scoring rules on hand-made results, no grader: gates, GPU points, tests the machine skipped."""

from __future__ import annotations

import pytest

from autograder.feedback import Feedback
from autograder.i18n import msg
from autograder.results import GradeReport, SubmissionInfo
from autograder.results import TestResult as Result  # not collected: pytest would take TestResult for tests
from autograder.scoring import (
    GPU_POINTS_ENV,
    apply_gates,
    gpu_points_counted,
    leave_out_skipped,
    left_out,
    left_out_note,
)

RULE = frozenset({"forbidden_operator_used"})


def result(
    name: str,
    exercise: str = "corr2d",
    points: float = 10.0,
    status: str = "passed",
    mistake: str | None = None,
    gate: bool = False,
) -> Result:
    failed = status == "failed"
    feedback = Feedback(summary=msg("failure.wrong_values"), mistake=mistake) if failed else None
    return Result(
        test_id=f"tests/test_x.py::{name}",
        name=msg(f"test.{name}"),
        exercise=exercise,
        max_score=points,
        score=0.0 if failed or status == "skipped" else points,
        status=status,
        feedback=feedback,
        gate=gate,
    )


def report(tests: list[Result]) -> GradeReport:
    return GradeReport(suite="hidden", tests=tests, submission=SubmissionInfo("sub"), seconds=1.0)


def test_a_gate_that_finds_the_rule_broken_zeroes_every_test_of_its_exercise_only():
    tests = [
        result("rule", status="failed", mistake="forbidden_operator_used", gate=True, points=0.0),
        result("values", points=30.0),
        result("shapes", points=20.0),
        result("other_exercise", exercise="Conv2D", points=25.0),
    ]
    apply_gates(tests, RULE)
    values, shapes, other = tests[1:]
    assert (values.score, values.status, shapes.score, shapes.status) == (0.0, "failed", 0.0, "failed")
    assert values.feedback is not None
    assert values.feedback.summary.key == "score.gated"
    assert values.feedback.summary.params["rule"] == tests[0].name
    assert (other.score, other.status) == (25.0, "passed")
    assert report(tests).score == 25.0
    assert report(tests).max_score == 75.0


def test_a_gate_that_failed_for_another_reason_did_not_check_the_rule_and_costs_nothing():
    crashed = result("rule", status="failed", mistake="raised_error", gate=True, points=0.0)
    values = result("values", points=30.0)
    apply_gates([crashed, values], RULE)
    assert crashed.status == "skipped"
    assert crashed.skip_reason is not None
    assert crashed.skip_reason.key == "score.rule_not_checked"
    assert (values.score, values.status) == (30.0, "passed")


def test_an_ordinary_test_that_finds_the_rule_broken_zeroes_its_exercise_too():
    caught = result("values", status="failed", mistake="forbidden_operator_used", points=30.0)
    shapes = result("shapes", points=20.0)
    apply_gates([caught, shapes], RULE)
    assert (shapes.score, shapes.status) == (0.0, "failed")
    assert shapes.feedback is not None
    assert shapes.feedback.summary.params["rule"] == caught.name
    assert caught.feedback is not None
    assert caught.feedback.mistake == "forbidden_operator_used"


def test_a_mistake_outside_the_units_rule_zeroes_nothing_but_its_own_test():
    wrong = result("values", status="failed", mistake="flipped_kernel", points=30.0)
    shapes = result("shapes", points=20.0)
    apply_gates([wrong, shapes], RULE)
    assert (shapes.score, shapes.status) == (20.0, "passed")
    assert report([wrong, shapes]).score == 20.0


def test_tests_skipped_for_the_machine_leave_the_maximum_and_are_noted_by_reason():
    no_cuda = result("gpu_values", status="skipped", points=5.0)
    no_cuda.skip_reason = msg("score.skipped_no_cuda")
    sandboxed = result("gpu_grad", exercise="Conv2D", status="skipped", points=3.0)
    sandboxed.skip_reason = msg("score.skipped_gpu_unusable")
    unpriced = result("gpu_shapes", status="skipped", points=0.0)
    unpriced.skip_reason = msg("score.skipped_no_cuda")
    tests = [result("values", points=30.0), no_cuda, sandboxed, unpriced]
    leave_out_skipped(tests)
    assert [t.counted for t in tests] == [True, False, False, False]
    assert (report(tests).score, report(tests).max_score) == (30.0, 30.0)
    assert [(reason.key, points) for reason, points in left_out(tests)] == [
        ("score.skipped_no_cuda", 5.0),
        ("score.skipped_gpu_unusable", 3.0),
    ]


def test_a_skipped_gate_stays_in_the_count_it_never_had_points():
    gate = result("rule", status="skipped", gate=True, points=0.0)
    leave_out_skipped([gate])
    assert gate.counted


def test_the_note_under_the_totals_names_points_only_where_the_skipped_tests_carry_some():
    reason = msg("score.skipped_no_cuda")
    assert left_out_note(reason, 8.0, "8").key == "report.left_out"
    assert left_out_note(reason, 8.0, "8").params["points"] == "8"
    assert left_out_note(reason, 0.0, "0").key == "report.skipped_unpriced"


@pytest.mark.parametrize(
    ("value", "counted"),
    [("1", True), ("true", True), (" Yes ", True), ("on", True), ("", False), ("0", False), ("no", False)],
)
def test_gpu_points_count_only_when_the_instructor_opts_in(monkeypatch, value, counted):
    monkeypatch.setenv(GPU_POINTS_ENV, value)
    assert gpu_points_counted() is counted


def test_gpu_points_are_not_counted_by_default(monkeypatch):
    monkeypatch.delenv(GPU_POINTS_ENV, raising=False)
    assert not gpu_points_counted()
