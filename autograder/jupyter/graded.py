"""Run the kit's own graded tests inside a notebook kernel, on the objects the notebook defined.

The nbgrader and Otter exports put the suites' test functions, verbatim, into their test cells and
call one of these: `show` prints the report (the public checks a student runs), `score` prints it and
returns the points (nbgrader reads a number as partial credit), `require` raises with the feedback
when a test fails (Otter counts a test case that raises as failed). Points, gates and skipped GPU
tests follow the same rules as `autograder grade`.
"""

from __future__ import annotations

import contextlib
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from autograder import __version__, units
from autograder.feedback import Failure, feedback_text
from autograder.i18n import msg, resolve_language
from autograder.judge.checks.common import UnderTest
from autograder.judge.marks import CUDA_MARKER, Grading, grading_of_function
from autograder.judge.outcome import failed, new_result, skipped, student_feedback
from autograder.judge.student import Student
from autograder.jupyter.namespace import NamespacePool, defined_source
from autograder.report import text
from autograder.results import GradeReport, SubmissionInfo, TestResult
from autograder.sandbox.client import StudentFailure
from autograder.scoring import apply_gates, leave_out_skipped
from autograder.unit import Suite

Test = Callable[[UnderTest], None]


def grading_of(test: Test) -> Grading:
    grading = grading_of_function(test)
    if grading is None:
        raise ValueError(f"{getattr(test, '__name__', test)} has no @graded marker")
    return grading


def _run_one(judge: UnderTest, test: Test) -> TestResult:
    grading = grading_of(test)
    result = new_result(getattr(test, "__name__", "?"), grading)
    if any(mark.name == CUDA_MARKER for mark in getattr(test, "pytestmark", [])) and not judge.cuda:
        return skipped(result)
    started = time.perf_counter()
    try:
        test(judge)
    except (Failure, StudentFailure) as error:
        failed(result, student_feedback(error, grading.exercise))
    result.seconds = time.perf_counter() - started
    return result


def run(namespace: Mapping[str, Any], tests: Iterable[Test], suite: Suite, lang: str) -> GradeReport:
    """Every test on the notebook's objects, with the scoring rules of the kit applied."""
    import torch

    started = time.monotonic()
    tests = list(tests)
    unit = units.of_exercise(grading_of(tests[0]).exercise) if tests else units.get()
    source = defined_source(namespace)
    sources = {name: source for name in unit.exercise_files}
    judge = UnderTest(Student(NamespacePool(namespace), unit), sources, cuda=torch.cuda.is_available())
    # Nothing reaches stderr: nbgrader gives 0 points to a test cell that wrote there.
    with contextlib.redirect_stderr(sys.stdout), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = [_run_one(judge, test) for test in tests]
    leave_out_skipped(results)
    apply_gates(results, unit.rule_mistakes)
    return GradeReport(
        suite=suite,
        tests=results,
        submission=SubmissionInfo(msg("kernel.source").render(lang)),
        seconds=time.monotonic() - started,
        sandbox=["in-kernel"],
        grader_version=__version__,
        exercise_order=list(unit.tags),
    )


def show(namespace: Mapping[str, Any], tests: Iterable[Test], lang: str | None = None) -> None:
    """Print the report of `tests` (the public checks), as `autograder check` prints it."""
    lang = lang or resolve_language()
    print(text.render(run(namespace, tests, "public", lang), lang))


def score(namespace: Mapping[str, Any], tests: Iterable[Test], lang: str | None = None) -> float:
    """Print the report of `tests` (the hidden suite) and return the points scored."""
    lang = lang or resolve_language()
    report = run(namespace, tests, "hidden", lang)
    print(text.render(report, lang))
    return report.score


def require(namespace: Mapping[str, Any], test: Test, gates: Iterable[Test] = (), lang: str | None = None) -> None:
    """Raise AssertionError with the feedback unless `test` passes (after the exercise's gates)."""
    lang = lang or resolve_language()
    report = run(namespace, [*gates, test], "hidden", lang)
    result = report.tests[-1]
    if result.status == "failed" and result.feedback is not None:
        raise AssertionError(feedback_text(result.feedback, lang))
