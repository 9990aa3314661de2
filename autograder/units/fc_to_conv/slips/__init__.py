"""The unit's named mistakes as models: a slip is the answer a student who made that mistake would give.

A check names a slip only on evidence: the student's answer equals the slip's answer on the test's
own arguments, and the right answer differs from it there. The mutation self-test asks again on
probes of its own (`PROBES`), so a name that only fits the suite's inputs is caught as wrong.
Each exercise file's slips live in the module of the same name.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from autograder.sandbox.wire import TensorValue


@dataclass(frozen=True)
class Slip:
    mistake: str
    """The id of the named mistake (`mistake.<id>` in the unit's catalogue)."""
    exercise: str
    model: Callable[..., Any]
    """The mistaken answer for the exercise's arguments."""
    applies: Callable[..., bool] = lambda *args: True
    """Whether the slip can be told from the right answer on these arguments at all."""
    shows: Callable[..., bool] | None = None
    """For an exercise checked by properties, where many answers are right and many are wrong in
    the same way: whether an answer (judge-side, plain) shows the mistake, `shows(answer, *args)`.
    When given it decides instead of comparing with `model`, whose answer is then one example."""


def same_answer(got: Any, expected: Any) -> bool:
    """Whether an answer from the worker (decoded) is the value `expected` (judge-side, plain).

    Integers and booleans compare exactly; floats to 1e-9 relative; tensors by shape and values to
    float32's rounding (1e-4 relative, 1e-4 times the largest magnitude absolute)."""
    if isinstance(expected, bool):
        return isinstance(got, bool) and got == expected
    if isinstance(expected, int):
        return type(got) is int and got == expected
    if isinstance(expected, float):
        return isinstance(got, (int, float)) and not isinstance(got, bool) and math.isclose(got, expected, rel_tol=1e-9)
    if isinstance(expected, torch.Tensor):
        if not isinstance(got, TensorValue) or got.data is None or got.shape != tuple(expected.shape):
            return False
        if got.data.is_complex() or expected.numel() == 0:
            return not got.data.is_complex()
        want = expected.double()
        scale = max(1.0, float(want.abs().max()))
        return bool(torch.allclose(got.data.double(), want, rtol=1e-4, atol=1e-4 * scale))
    raise TypeError(f"no comparison for a {type(expected).__name__}")


def _registry() -> dict[str, tuple[Slip, ...]]:
    from autograder.units.fc_to_conv.slips import (
        ex1_why_not_mlp,
        ex2_fc_as_conv,
        ex3_strict_conv,
        ex4_corr_as_matmul,
        ex5_hand_kernels,
        ex6_diagonal_edges,
    )

    found: dict[str, list[Slip]] = {}
    modules = (
        ex1_why_not_mlp,
        ex2_fc_as_conv,
        ex3_strict_conv,
        ex4_corr_as_matmul,
        ex5_hand_kernels,
        ex6_diagonal_edges,
    )
    for module in modules:
        for slip in module.SLIPS:
            found.setdefault(slip.exercise, []).append(slip)
    return {tag: tuple(slips) for tag, slips in found.items()}


def of_exercise(exercise: str) -> tuple[Slip, ...]:
    return _registry().get(exercise, ())


def matching(exercise: str, args: Sequence[Any], got: Any, right: Any) -> Slip | None:
    """The one slip whose answer on `args` is `got` while the right answer is not; None when none
    fits, or when two different mistakes fit (the evidence does not tell them apart)."""
    fits = []
    for slip in of_exercise(exercise):
        if not slip.applies(*args):
            continue
        if slip.shows is not None:
            if not slip.shows(right, *args) and _shows(slip.shows, got, args):
                fits.append(slip)
            continue
        answer = slip.model(*args)
        if _plain_equal(answer, right):
            continue
        if same_answer(got, answer):
            fits.append(slip)
    mistakes = {slip.mistake for slip in fits}
    return fits[0] if len(mistakes) == 1 else None


def _shows(shows: Callable[..., bool], got: Any, args: Sequence[Any]) -> bool:
    """Whether an answer from the worker shows a mistake told by its property (tensors by their values)."""
    if isinstance(got, TensorValue):
        return got.data is not None and shows(got.data, *args)
    return shows(got, *args)


def _plain_equal(a: Any, b: Any) -> bool:
    """Whether two judge-side answers are the same (a slip that gives the right answer proves nothing)."""
    if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
        return a.shape == b.shape and bool(torch.allclose(a.double(), b.double(), rtol=1e-6, atol=1e-9))
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b, rel_tol=1e-12)
    return type(a) is type(b) and a == b
