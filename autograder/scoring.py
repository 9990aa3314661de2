"""Scoring rules, in one place: points per test, gates, and tests left out of the maximum."""

from __future__ import annotations

from autograder.feedback import Feedback
from autograder.i18n import Message, msg
from autograder.results import TestResult

RULE_MISTAKES = frozenset({"torch_conv_used", "recorder_tampering"})
"""Mistakes that break the rule of an exercise, not just a test."""


def apply_gates(tests: list[TestResult]) -> None:
    """An exercise whose gate test found a rule broken (torch's own conv used) scores 0 in every test.

    A gate test that fails for another reason (the code raised, or timed out) costs only itself.
    """
    broken = {
        t.exercise: t
        for t in tests
        if t.gate and t.status == "failed" and t.feedback is not None and t.feedback.mistake in RULE_MISTAKES
    }
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
        if test.status == "skipped":
            test.counted = False
            test.score = 0.0


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
