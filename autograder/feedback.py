"""What a test tells the student: structured, so every reporter and language renders it its own way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autograder.errors import StudentFault
from autograder.i18n import Message


@dataclass(frozen=True)
class Shown:
    """A small array to show, as nested lists (or a note when it cannot be shown)."""

    name: str
    values: Any = None
    shape: tuple[int, ...] = ()
    dtype: str = ""
    device: str = ""


@dataclass(frozen=True)
class Comparison:
    """Inputs, expected and actual values side by side: the core of a value mismatch."""

    inputs: tuple[Shown, ...]
    expected: Shown
    got: Shown
    first_differences: tuple[tuple[tuple[int, ...], float, float], ...] = ()
    """Up to five (index, expected, got) triples where the two differ."""


@dataclass(frozen=True)
class Feedback:
    """Why a test failed and what to do about it."""

    summary: Message
    details: tuple[Message, ...] = ()
    mistake: str | None = None
    """Identifier of a named mistake (see judge/mistakes.py), for hints and class statistics."""
    hint: Message | None = None
    code: str = ""
    """Verbatim text from the student's side: a trimmed traceback or printed output."""
    comparison: Comparison | None = None
    smallest: Comparison | None = None
    """The smallest input found on which the submission fails, when a search found one."""
    extra: dict[str, Any] = field(default_factory=dict)


class Failure(StudentFault, AssertionError):
    """Raised by a check: the test fails with this feedback."""

    def __init__(self, feedback: Feedback) -> None:
        super().__init__(feedback.summary.key)
        self.feedback = feedback
