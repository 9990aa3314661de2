"""Which failing tests a report shows together: the one rule the terminal and feedback.html share."""

from __future__ import annotations

from collections.abc import Sequence

from autograder.results import TestResult

SHOWN = ("failed", "error")


def _shares_feedback(a: TestResult, b: TestResult) -> bool:
    """Neighbours of one exercise whose feedback is the same and says nothing about the test's own
    input (not implemented, import failed, ...): the student reads it once."""
    return (
        a.exercise == b.exercise
        and a.status == b.status
        and a.feedback is not None
        and a.feedback == b.feedback
        and a.feedback.comparison is None
    )


def failing_groups(tests: Sequence[TestResult], with_passed: bool = False) -> list[list[TestResult]]:
    """The tests to show, in order (failing ones; passed ones too `with_passed`), neighbours that
    share their feedback in one group."""
    groups: list[list[TestResult]] = []
    for test in tests:
        if test.status not in SHOWN and not (with_passed and test.status == "passed"):
            continue
        if groups and _shares_feedback(groups[-1][-1], test):
            groups[-1].append(test)
        else:
            groups.append([test])
    return groups
