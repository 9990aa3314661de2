"""How this unit's checks ask a question and judge a plain answer (a count, a size, a truth value).

Every exercise here is a function of plain arguments (integers, tuples, small tensors) whose right
answer the judge computes itself. `expect_answer` checks the kind of a number or truth value, names a
slip only where `slips.matching` finds the evidence, and otherwise says exactly what came back;
`smallest_failing` finds the smallest arguments, from a list the check gives, on which the answer is
still wrong. Tensor answers are judged by each exercise's own checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import torch

from autograder.feedback import Failure
from autograder.i18n import Message, msg
from autograder.judge.checks.common import (
    UnderTest,
    answering,
)
from autograder.judge.mistakes import fail_with, failure
from autograder.judge.show import describe, dtype_text, shape_text
from autograder.judge.student import Call
from autograder.sandbox.wire import TensorValue
from autograder.units.fc_to_conv.slips import matching, same_answer

MAX_SHOWN = 16
"""Tensors with at most this many entries are shown by their values, larger ones by shape and dtype."""


def shown(value: Any) -> str:
    """A short text for an argument or an answer: numbers as they are, small tensors by their values."""
    if isinstance(value, TensorValue):
        value = value.data if value.data is not None else torch.empty(value.shape, dtype=value.dtype)
    if isinstance(value, torch.Tensor):
        if value.numel() <= MAX_SHOWN and value.device.type != "meta":
            return f"tensor({_rounded(value.tolist())})"
        return f"tensor of shape {shape_text(value.shape)}, {dtype_text(value.dtype)}"
    if isinstance(value, float):
        return f"{value:.12g}"
    if isinstance(value, tuple):
        return "(" + ", ".join(shown(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return repr(value) if isinstance(value, (str, list)) else str(value)


def _rounded(values: Any) -> Any:
    """Nested lists of numbers with floats cut to 6 significant digits: a float32 1.2 reads 1.2, not
    1.2000000476837158."""
    if isinstance(values, list):
        return [_rounded(v) for v in values]
    return float(f"{values:.6g}") if isinstance(values, float) else values


def call_text(exercise: str, args: Sequence[Any]) -> str:
    return f"{exercise}({', '.join(shown(a) for a in args)})"


def context(exercise: str, args: Sequence[Any]) -> Message:
    return msg("fc_to_conv.check.called", call=call_text(exercise, args))


def ask(judge: UnderTest, exercise: str, *args: Any, **options: Any) -> Call:
    """Call the student's `exercise(*args)` in the worker; a call that raised or hung fails the test."""
    with answering(exercise):
        return judge.student.call(exercise, *args, **options)


def expect_answer(
    exercise: str, args: Sequence[Any], got: Any, right: Any, ctx: Message, *, hint: Message | None = None
) -> None:
    """Pass when `got` is the right number or truth value; otherwise raise the test's Failure, naming a
    slip on evidence. (Tensor answers are judged by each exercise's checks, which know their shapes.)"""
    if same_answer(got, right):
        return
    expect_kind(exercise, got, right, ctx)
    params = {"name": exercise, "got": shown(got), "expected": shown(right)}
    slip = matching(exercise, args, got, right)
    if slip is not None:
        raise fail_with(slip.mistake, params, details=(ctx,))
    raise failure(msg("fc_to_conv.check.answer_wrong", **params), ctx, hint=hint)


def expect_kind(exercise: str, got: Any, right: Any, ctx: Message) -> None:
    """The answer must be a Python value of the right kind: an int for a count, a bool for a yes/no."""
    if isinstance(right, bool):
        wanted, ok = "bool", isinstance(got, bool)
    elif isinstance(right, int):
        wanted, ok = "int", type(got) is int
    else:
        wanted, ok = "float", isinstance(got, (int, float)) and not isinstance(got, bool)
    if not ok:
        raise failure(msg(f"fc_to_conv.check.not_{wanted}", name=exercise, got=describe(got)), ctx)


def smallest_failing(
    judge: UnderTest,
    exercise: str,
    candidates: Iterable[Sequence[Any]],
    reference: Callable[..., Any],
) -> Message | None:
    """The first of `candidates` (smallest first) on which the student's answer is wrong, as a message."""
    for args in candidates:
        try:
            got = ask(judge, exercise, *args).value
        except Failure:
            continue
        right = reference(*args)
        if not same_answer(got, right):
            call = call_text(exercise, args)
            return msg("fc_to_conv.check.smallest", call=call, got=shown(got), expected=shown(right))
    return None


def with_detail(error: Failure, detail: Message | None) -> Failure:
    """`error` with one more line of detail (a smallest failing call) when there is one."""
    if detail is None:
        return error
    feedback = error.feedback
    return Failure(type(feedback)(**{**feedback.__dict__, "details": (*feedback.details, detail)}))
