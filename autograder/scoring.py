"""Scoring rules, in one place: points per test, gates, and tests left out of the maximum."""

from __future__ import annotations

import os

from autograder.feedback import Feedback
from autograder.i18n import Message, msg
from autograder.results import TestResult

GPU_POINTS_ENV = "AUTOGRADER_GPU_POINTS"
"""Set to 1 (or `--gpu-points`) to count the GPU tests' points where CUDA is present. By default they
run and name device bugs but carry no points, so a unit is worth 100 on every machine."""


def gpu_points_counted() -> bool:
    return os.environ.get(GPU_POINTS_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def apply_gates(tests: list[TestResult], rule_mistakes: frozenset[str]) -> None:
    """An exercise whose gate test, or any other test, found its unit's rule broken (`rule_mistakes`,
    the unit's: a forbidden operator used in one of the calls) scores 0 in every test.

    A gate test that fails for another reason (the code raised, or timed out) did not check the rule:
    it is shown as not checked, with the reason, and costs nothing (the other tests charge the crash).
    """
    for test in tests:
        if (
            test.gate
            and test.status == "failed"
            and (test.feedback is None or test.feedback.mistake not in rule_mistakes)
        ):
            test.status, test.score = "skipped", 0.0
            test.skip_reason = msg("score.rule_not_checked")
    breaking = [
        t for t in tests if t.status == "failed" and t.feedback is not None and t.feedback.mistake in rule_mistakes
    ]
    broken = {t.exercise: t for t in sorted(breaking, key=lambda t: t.gate)}
    for test in tests:
        gate = broken.get(test.exercise)
        if gate is None or test is gate or test.score == 0:
            continue
        test.score = 0.0
        test.status = "failed"
        test.feedback = Feedback(summary=msg("score.gated", exercise=test.exercise, rule=gate.name))


def leave_out_skipped(tests: list[TestResult]) -> None:
    """Tests skipped for the machine's hardware do not count towards the maximum."""
    for test in tests:
        if test.status == "skipped" and not test.gate:
            test.counted = False
            test.score = 0.0


def left_out_note(reason: Message, points: float, shown: str) -> Message:
    """The note under the totals for tests the machine skipped: with their points where they carry any."""
    if points > 0:
        return msg("report.left_out", reason=reason, points=shown)
    return msg("report.skipped_unpriced", reason=reason)


def left_out(tests: list[TestResult]) -> list[tuple[Message, float]]:
    """The points left out of the maximum, by the reason their tests were skipped (in first-seen
    order): what every report notes under its totals."""
    points: dict[str, tuple[Message, float]] = {}
    for test in tests:
        if not test.counted:
            reason = test.skip_reason or msg("score.skipped_no_cuda")
            total = points.get(reason.key, (reason, 0.0))[1]
            points[reason.key] = (reason, total + test.max_score)
    return list(points.values())
