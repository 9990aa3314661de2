"""A graded test's outcome as a TestResult: one rule for the pytest plugin and the in-kernel runner."""

from __future__ import annotations

from typing import overload

from autograder.feedback import Failure, Feedback
from autograder.i18n import Message, msg
from autograder.judge.failures import feedback_for
from autograder.judge.marks import Grading
from autograder.results import TestResult
from autograder.sandbox.client import StudentFailure


def new_result(test_id: str, grading: Grading, seconds: float = 0.0, priced: bool = True) -> TestResult:
    """The result of a test that passed; callers lower it when the test did not. An unpriced test
    (a GPU test the instructor has not opted into) reports like any other but carries no points."""
    points = grading.points if priced else 0.0
    return TestResult(
        test_id=test_id,
        name=msg(grading.name),
        exercise=grading.exercise,
        max_score=points,
        score=points,
        status="passed",
        visibility=grading.visibility,
        seconds=seconds,
        gate=grading.gate,
    )


def skipped(result: TestResult, reason: Message | None = None) -> TestResult:
    """A GPU test the machine cannot run (no CUDA, or none usable in the sandbox): out of the
    maximum, with the reason."""
    result.status, result.score = "skipped", 0.0
    result.skip_reason = reason or msg("score.skipped_no_cuda")
    return result


@overload
def student_feedback(error: Failure | StudentFailure, exercise: str) -> Feedback: ...
@overload
def student_feedback(error: BaseException | None, exercise: str) -> Feedback | None: ...
def student_feedback(error: BaseException | None, exercise: str) -> Feedback | None:
    """Feedback for a test that failed because of the submission; None when the grader itself broke."""
    if isinstance(error, Failure):
        return error.feedback
    if isinstance(error, StudentFailure):
        return feedback_for(error, exercise)
    return None


def failed(result: TestResult, feedback: Feedback) -> TestResult:
    result.status, result.score, result.feedback = "failed", 0.0, feedback
    return result


def grader_error(result: TestResult) -> TestResult:
    """The test itself broke: never the student's fault, and the run's exit code says so."""
    result.status, result.score, result.feedback = "error", 0.0, Feedback(summary=msg("failure.internal"))
    return result
