"""Checks of ex6_diagonal_edges: the diagonal image and the text's edge kernel on it, against
torch.nn.functional.conv2d (a cross-correlation) on the judge's own image.

A named slip is looked for before the shape, since a transposed answer has the transposed shape, and
named only when the student's answer on a larger image shows it too.
The edges of a wrong image of the student's own pass: the image's tests charge it, once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F

from autograder.feedback import Failure
from autograder.i18n import msg
from autograder.judge.checks.common import UnderTest, expect_shape, expect_tensor, values_failure
from autograder.judge.mistakes import fail_with, failure
from autograder.judge.show import dtype_text
from autograder.sandbox.wire import TensorValue
from autograder.units.fc_to_conv.checks.answers import ask, context, shown, smallest_failing, with_detail
from autograder.units.fc_to_conv.slips import Slip, matching, same_answer

IMAGE = "diagonal_edge_image"
KERNEL = torch.tensor([[1.0, -1.0]])
"""The text's edge kernel, as the exercise file gives it (EDGE_KERNEL)."""
EDGES = {
    # exercise: (whether it takes the image transposed, whether the kernel transposed)
    "edges_of_diagonal": (False, False),
    "edges_of_transposed": (True, False),
    "edges_with_transposed_kernel": (False, True),
}
CONFIRM = 7
"""The image size on which a slip seen on a test's call must be seen again before it is named."""
SMALLEST_IMAGES = tuple((n,) for n in range(1, 7))
SMALLEST_EDGES = SMALLEST_IMAGES[1:]
"""Sizes smallest first; a wrong answer shows the smallest below the size checked (an edge needs n >= 2)."""


def diagonal_image(n: int) -> torch.Tensor:
    """1.0 where the column index is at least the row index, 0.0 below the diagonal."""
    rows, columns = torch.arange(n).unsqueeze(1), torch.arange(n).unsqueeze(0)
    return (columns >= rows).to(torch.float32)


def correlate(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return F.conv2d(X[None, None], K[None, None].to(X.dtype))[0, 0]


def edges_of(exercise: str, image: torch.Tensor) -> torch.Tensor:
    """What `exercise` computes from `image`: the edge kernel (or its transpose) on it (or its transpose)."""
    image_t, kernel_t = EDGES[exercise]
    return correlate(image.T if image_t else image, KERNEL.T if kernel_t else KERNEL)


def expected_edges(exercise: str) -> Callable[[int], torch.Tensor]:
    return lambda n: edges_of(exercise, diagonal_image(n))


def _expect(judge: UnderTest, exercise: str, n: int, got: Any, right: torch.Tensor) -> None:
    """A wrong answer's failure: a slip confirmed by the evidence first, else the answer's kind, shape
    and values; with the smallest n on which it is still wrong."""
    args, ctx = (n,), context(exercise, (n,))
    slip = matching(exercise, args, got, right) if _signed(exercise, got) else None
    if slip is not None and confirmed(judge, slip, exercise):
        error = fail_with(slip.mistake, {"name": exercise, "got": shown(got), "expected": shown(right)}, details=(ctx,))
    else:
        tensor = expect_tensor(got, exercise, ctx)
        expect_shape(tensor, tuple(right.shape), exercise, ctx, msg("fc_to_conv.check.shape_asked"))
        assert tensor.data is not None  # a cpu answer always carries its values
        close = torch.isclose(tensor.data.double(), right.double(), rtol=1e-4, atol=1e-4)
        error = values_failure(exercise, {}, right, tensor, close, ctx)
    reference, sizes = (
        (diagonal_image, SMALLEST_IMAGES) if exercise == IMAGE else (expected_edges(exercise), SMALLEST_EDGES)
    )
    raise with_detail(error, smallest_failing(judge, exercise, [size for size in sizes if size[0] < n], reference))


def _signed(exercise: str, got: Any) -> bool:
    """Whether the answer can hold an edge's sign: edges come back as booleans from a boolean image,
    where -1 reads as True, and the sign slip's answer then shows by accident."""
    return exercise == IMAGE or not (isinstance(got, TensorValue) and got.dtype == torch.bool)


def confirmed(judge: UnderTest, slip: Slip, exercise: str) -> bool:
    """Whether the student's answer for n = CONFIRM is the slip's answer too: on the smallest images
    another mistake can give the same numbers (a flipped 2 x 2 image has the edge of the other sign)."""
    got = judge.remember(("confirm", exercise), lambda: _answer(judge, exercise, CONFIRM))
    return got is not None and same_answer(got, slip.model(CONFIRM))


def _answer(judge: UnderTest, exercise: str, n: int) -> Any:
    try:
        return ask(judge, exercise, n).value
    except Failure:
        return None


def check_image(judge: UnderTest, n: int, *, dtype: bool = False) -> None:
    """diagonal_edge_image(n); with `dtype`, its dtype too (float32), which one test charges."""
    right = diagonal_image(n)
    got = ask(judge, IMAGE, n).value
    if not same_answer(got, right):
        _expect(judge, IMAGE, n, got, right)
    if dtype and isinstance(got, TensorValue) and got.dtype != torch.float32:
        raise failure(
            msg("fc_to_conv.check.ex6_diagonal_edges.image_dtype", name=IMAGE, got=dtype_text(got.dtype)),
            context(IMAGE, (n,)),
            hint=msg("fc_to_conv.check.ex6_diagonal_edges.image_dtype_hint"),
        )


def check_edges(judge: UnderTest, exercise: str, n: int) -> None:
    right = expected_edges(exercise)(n)
    got = ask(judge, exercise, n).value
    if same_answer(got, right) or _follows_own_image(judge, exercise, n, got):
        return
    _expect(judge, exercise, n, got, right)


def _follows_own_image(judge: UnderTest, exercise: str, n: int, got: Any) -> bool:
    """Whether `got` is the exercise's kernel applied right to the student's own, wrong, image."""
    own = judge.remember(("own image", n), lambda: _own_image(judge, n))
    if own is None or same_answer(TensorValue(own, own.dtype, tuple(own.shape), "cpu"), diagonal_image(n)):
        return False
    return same_answer(got, edges_of(exercise, own))


def _own_image(judge: UnderTest, n: int) -> torch.Tensor | None:
    value = _answer(judge, IMAGE, n)
    if not isinstance(value, TensorValue) or value.data is None or value.shape != (n, n) or value.data.is_complex():
        return None
    return value.data.double()
