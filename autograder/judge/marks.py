"""How a test declares its points: `@graded(4, EXERCISE, "test.<exercise>.<name>")`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from autograder import units
from autograder.results import VISIBILITIES, Visibility

MARKER = "graded"
CUDA_MARKER = "needs_cuda"
META_MARKER = "on_meta"


@dataclass(frozen=True)
class Grading:
    points: float
    exercise: str
    name: str
    """Catalogue key of the test's title."""
    visibility: Visibility = "visible"
    gate: bool = False
    """A failed gate test scores the whole exercise 0 (the no-torch-conv rule)."""


def graded(
    points: float, exercise: str, name: str, *, visibility: Visibility = "visible", gate: bool = False
) -> pytest.MarkDecorator:
    units.of_exercise(exercise)  # raises UnknownUnit for an exercise no installed unit has
    if visibility not in VISIBILITIES:
        raise ValueError(f"unknown visibility {visibility!r}; one of {VISIBILITIES}")
    if points < 0:
        raise ValueError("points must be >= 0")
    marker: pytest.MarkDecorator = getattr(pytest.mark, MARKER)
    return marker(Grading(points, exercise, name, visibility, gate))


needs_cuda: pytest.MarkDecorator = getattr(pytest.mark, CUDA_MARKER)
"""Runs only where CUDA is available; elsewhere skipped and left out of the maximum."""

on_meta: pytest.MarkDecorator = getattr(pytest.mark, META_MARKER)
"""Calls the student's code on the `meta` device: run after the other tests, by when the zygote has
loaded what such calls import (autograder.torch_imports.warm_up_meta)."""


def grading_of(item: pytest.Item) -> Grading | None:
    marker = item.get_closest_marker(MARKER)
    if marker is None or not marker.args or not isinstance(marker.args[0], Grading):
        return None
    return marker.args[0]


def grading_of_function(function: Callable[..., Any]) -> Grading | None:
    """The @graded marker of a test function itself, outside a pytest session (notebook exports)."""
    for mark in getattr(function, "pytestmark", []):
        if mark.name == MARKER and mark.args and isinstance(mark.args[0], Grading):
            return mark.args[0]
    return None
