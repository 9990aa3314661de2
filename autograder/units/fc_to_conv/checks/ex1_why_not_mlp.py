"""Checks of ex1_why_not_mlp: parameter counts and memory, against the judge's own arithmetic.

The references count what a layer holds (weights, then biases) without the solutions; the kit's
tests hold them to the parameters of torch.nn.Linear and torch.nn.Conv2d. A wrong answer gets the
smallest call on which it is still wrong, and the memory of a wrong count of the student's own is
charged once, by the count's tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograder.feedback import Failure
from autograder.i18n import msg
from autograder.judge.checks.common import UnderTest
from autograder.judge.mistakes import fail_with, failure
from autograder.units.fc_to_conv.checks.answers import (
    ask,
    context,
    expect_kind,
    shown,
    smallest_failing,
    with_detail,
)
from autograder.units.fc_to_conv.slips import Slip, matching, same_answer

FLOAT32_BYTES = 4
GIGABYTE = 10**9
"""A gigabyte as the notes count it: 10**9 bytes (a GiB is 2**30)."""

SMALL_IMAGES = ((1, 1, 1), (1, 1, 2), (1, 2, 1), (2, 1, 1), (2, 3, 1), (1, 1, 1, 2), (2, 3, 4, 3))
"""(height, width, hidden[, channels]), smallest first: where a wrong count is shown."""
SMALL_KERNELS = ((1,), (2,), (3,), (1, 2), (2, 1, 2), (2, 3, 1), (3, 2, 4))
"""(kernel_size[, in_channels, out_channels]), smallest first."""


def mlp_parameter_count(height: int, width: int, hidden: int, channels: int = 1) -> int:
    """One weight per (input value, hidden unit), one bias per hidden unit."""
    inputs = height * width * channels
    return inputs * hidden + hidden


def mlp_memory(height: int, width: int, hidden: int, channels: int = 1) -> float:
    return mlp_parameter_count(height, width, hidden, channels) * FLOAT32_BYTES / GIGABYTE


def conv_parameter_count(kernel_size: int, in_channels: int = 1, out_channels: int = 1) -> int:
    """A k x k kernel per (input channel, output channel), one bias per output channel."""
    return kernel_size**2 * in_channels * out_channels + out_channels


CONFIRM = {
    "mlp_parameters": (7, 5, 3, 2),
    "mlp_memory_gb": (7, 5, 3, 2),
    "conv_parameters": (5, 3, 7),
}
"""Where every slip of the exercise applies and gives its own answer: a slip seen on a test's call is
named only if the student's answer here is the slip's too (a worked example with its defaults, or a
huge count, can make another mistake look like it)."""


def confirmed(judge: UnderTest, slip: Slip, exercise: str) -> bool:
    """Whether the student's answer on the exercise's discriminating call is the slip's answer there."""
    args = CONFIRM[exercise]
    if not slip.applies(*args):
        return False
    got = judge.remember(("confirm", exercise), lambda: _answer(judge, exercise, args))
    return got is not None and same_answer(got, slip.model(*args))


def _answer(judge: UnderTest, exercise: str, args: Sequence[int]) -> Any:
    try:
        return ask(judge, exercise, *args).value
    except Failure:
        return None


def _check(
    judge: UnderTest,
    exercise: str,
    args: Sequence[Any],
    reference: Callable[..., Any],
    smallest: Sequence[Sequence[Any]],
    *,
    accept: Callable[[Any], bool] = lambda got: False,
) -> None:
    """The answer to `exercise(*args)` must be the reference's: of the right kind, then the right
    value; a slip is named when the evidence shows it here and on the discriminating call. `accept`
    lets an answer pass whose fault another test charges."""
    right = reference(*args)
    got = ask(judge, exercise, *args).value
    if same_answer(got, right) or accept(got):
        return
    ctx = context(exercise, args)
    expect_kind(exercise, got, right, ctx)
    params = {"name": exercise, "got": shown(got), "expected": shown(right)}
    slip = matching(exercise, args, got, right)
    if slip is not None and confirmed(judge, slip, exercise):
        error = fail_with(slip.mistake, params, details=(ctx,))
    else:
        error = failure(msg("fc_to_conv.check.answer_wrong", **params), ctx)
    smaller = [candidate for candidate in smallest if tuple(candidate) != tuple(args)]
    raise with_detail(error, smallest_failing(judge, exercise, smaller, reference))


def check_mlp_parameters(judge: UnderTest, *args: int) -> None:
    _check(judge, "mlp_parameters", args, mlp_parameter_count, SMALL_IMAGES)


def check_mlp_memory(judge: UnderTest, *args: int) -> None:
    """A memory that is the student's own (wrong) count in float32 GB passes: the count's tests charge it."""

    def follows_own_count(got: Any) -> bool:
        own = judge.remember(("own count", args), lambda: _own_count(judge, args))
        right = mlp_parameter_count(*args)
        return own is not None and own != right and same_answer(got, own * FLOAT32_BYTES / GIGABYTE)

    _check(judge, "mlp_memory_gb", args, mlp_memory, SMALL_IMAGES, accept=follows_own_count)


def _own_count(judge: UnderTest, args: Sequence[int]) -> int | None:
    value = _answer(judge, "mlp_parameters", args)
    return value if type(value) is int else None


def check_conv_parameters(judge: UnderTest, *args: int) -> None:
    _check(judge, "conv_parameters", args, conv_parameter_count, SMALL_KERNELS)
