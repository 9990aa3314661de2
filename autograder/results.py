"""The outcome of grading one submission, before any reporter formats it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from autograder.feedback import Feedback
from autograder.i18n import Message
from autograder.unit import Suite

Visibility = Literal["visible", "hidden", "after_due_date", "after_published"]
"""When Gradescope shows a test to the student (its own vocabulary)."""
VISIBILITIES: tuple[Visibility, ...] = get_args(Visibility)
Status = Literal["passed", "failed", "skipped", "error"]
"""A test's outcome: "error" is the grader's own failure, never the student's."""


def in_order(present: Iterable[str], order: Sequence[str]) -> list[str]:
    """The distinct tags of `present`: those in `order` as it lists them, then the others as first seen."""
    seen = list(dict.fromkeys(present))
    return [tag for tag in order if tag in seen] + [tag for tag in seen if tag not in order]


@dataclass
class TestResult:
    """One graded test. `score` is final: gates and skips are already applied."""

    test_id: str
    name: Message
    exercise: str
    max_score: float
    score: float
    status: Status
    visibility: Visibility = "visible"
    feedback: Feedback | None = None
    seconds: float = 0.0
    gate: bool = False
    skip_reason: Message | None = None
    counted: bool = True
    """False for a test left out of the maximum (a GPU test on a machine without CUDA)."""


@dataclass
class SubmissionInfo:
    """What the loader found."""

    source: str
    files: list[str] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)
    """Things the loader did that the student should know (e.g. notebook magics dropped)."""


@dataclass
class GradeReport:
    suite: Suite
    tests: list[TestResult]
    submission: SubmissionInfo
    seconds: float = 0.0
    sandbox: list[str] = field(default_factory=list)
    grader_version: str = ""
    internal_errors: list[str] = field(default_factory=list)
    """Failures of the grader itself (never the student's fault); any makes the exit code 1."""
    notices: list[str] = field(default_factory=list)
    """What the operator should know about the grading machine (a GPU the sandbox cannot use): the
    grading still holds, with the tests concerned left out of the maximum."""
    inputs_seed: int | None = None
    """The seed the hidden inputs were drawn from (None: the fixed inputs); `grade --inputs-seed`
    reproduces them."""
    digest: str = ""
    """SHA-256 of the submission's files, which (with the secret) decided `inputs_seed`."""
    exercise_order: list[str] = field(default_factory=list)
    """The unit's exercise tags in the order its reports list them; tags it leaves out follow in the
    order their tests ran."""

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tests), 4)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tests if t.counted), 4)

    def exercises(self) -> list[str]:
        """Exercise tags present, in the unit's order."""
        return in_order((t.exercise for t in self.tests), self.exercise_order)

    def exercise_score(self, exercise: str) -> tuple[float, float]:
        tests = [t for t in self.tests if t.exercise == exercise]
        return (
            round(sum(t.score for t in tests), 4),
            round(sum(t.max_score for t in tests if t.counted), 4),
        )

    def mistakes(self) -> list[str]:
        return [t.feedback.mistake for t in self.tests if t.feedback and t.feedback.mistake]
