"""The class's figures, computed one way for the terminal summary and report.html alike."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float:
    """The middle value; for an even count, the mean of the two middle ones."""
    return float(statistics.median(values)) if values else 0.0


def mean(values: Sequence[float]) -> float:
    return float(statistics.fmean(values)) if values else 0.0


TIMED_STATUSES = ("graded", "grader_failed")
"""Submissions whose time is a grading time: an unreadable one was never run, its 0 s means nothing."""
