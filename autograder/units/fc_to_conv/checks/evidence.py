"""A slip named from several answers at once, where one answer alone fits more than one mistake.

On the text's worked example a kernel flipped along its columns and a transposed kernel give the
same numbers; a True for a kernel symmetric under a transpose is also what 'always True' says. The
check then asks the student's function on a few discriminating arguments of its own (the battery,
asked once per submission) and names the one mistake that every answer shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import torch

from autograder.feedback import Failure
from autograder.judge.checks.common import UnderTest
from autograder.sandbox.wire import TensorValue
from autograder.units.fc_to_conv.checks.answers import ask
from autograder.units.fc_to_conv.slips import Slip, of_exercise, same_answer


def _equal(a: Any, b: Any) -> bool:
    """Whether two judge-side answers are the same."""
    if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
        return a.shape == b.shape and bool(torch.allclose(a.double(), b.double(), rtol=1e-6, atol=1e-9))
    return type(a) is type(b) and bool(a == b)


def _shows(slip: Slip, args: Sequence[Any], got: Any) -> bool:
    if slip.shows is not None:
        return isinstance(got, TensorValue) and got.data is not None and slip.shows(got.data, *args)
    return same_answer(got, slip.model(*args))


def _told(slip: Slip, args: Sequence[Any], right: Any) -> bool:
    """Whether the slip's answer differs from the right one here (else the case proves nothing)."""
    if slip.shows is not None:
        return not slip.shows(right, *args)
    return not _equal(slip.model(*args), right)


def _answer(judge: UnderTest, exercise: str, args: Sequence[Any]) -> Any:
    return ask(judge, exercise, *args).value


def shown_throughout(
    judge: UnderTest,
    exercise: str,
    args: Sequence[Any],
    got: Any,
    reference: Callable[..., Any],
    battery: Sequence[Sequence[Any]],
) -> str | None:
    """The one mistake of which one model gives the answer `got` on `args` and the student's answers on
    every battery call, and which at least one of them tells from the right answer; None otherwise
    (or when a battery call fails: its failure is no evidence)."""
    cases: list[tuple[Sequence[Any], Any]] = [(args, got)]
    try:
        cases += [
            (extra, judge.remember(("battery", exercise, repr(extra)), partial(_answer, judge, exercise, extra)))
            for extra in battery
        ]
    except Failure:
        return None
    # One model must fit every answer: a mistake with two models (a flip of the rows, a flip of the
    # columns) is not shown by answers that each fit one of them.
    slips = of_exercise(exercise)
    fits = set(range(len(slips)))
    told: set[int] = set()
    for case_args, answer in cases:
        right = reference(*case_args)
        for index, slip in enumerate(slips):
            if index not in fits:
                continue
            if not (slip.applies(*case_args) and _shows(slip, case_args, answer)):
                fits.discard(index)
            elif _told(slip, case_args, right):
                told.add(index)
    named = {slips[index].mistake for index in fits & told}
    return named.pop() if len(named) == 1 else None
