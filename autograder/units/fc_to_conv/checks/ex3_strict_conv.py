"""Checks of ex3: the strict convolution against PyTorch's (a cross-correlation with the kernel
flipped in both axes), with its gradients, and the test of when the two operations agree."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from autograder.backprop import backward_with
from autograder.feedback import Failure
from autograder.i18n import Message, msg
from autograder.judge.checks.common import (
    UnderTest,
    expect_dtype_device,
    expect_shape,
    expect_tensor,
    tolerance,
    values_failure,
)
from autograder.judge.diagnose.autograd import graph_cut
from autograder.judge.mistakes import fail_with, failure
from autograder.judge.show import comparison
from autograder.judge.student import Call
from autograder.units.fc_to_conv.checks.answers import ask, context, expect_answer, shown
from autograder.units.fc_to_conv.checks.evidence import shown_throughout
from autograder.units.fc_to_conv.slips import same_answer

CONV = "conv2d_strict"
SAME = "same_as_correlation"


def correlate(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """The valid cross-correlation in float64 (judge-side)."""
    return F.conv2d(X.double()[None, None], K.double()[None, None])[0, 0]


def strict_conv(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """The strict convolution in float64: the cross-correlation with K rotated by 180 degrees."""
    return correlate(X, torch.flip(K, dims=(0, 1)))


def rotation_symmetric(K: torch.Tensor) -> bool:
    return bool(torch.equal(K, torch.flip(K, dims=(0, 1))))


def grad_output_for(shape: tuple[int, ...], dtype: torch.dtype) -> torch.Tensor:
    """A gradient with distinct entries, so a wrong gradient cannot pass by symmetry."""
    return (torch.arange(math.prod(shape), dtype=torch.float64).reshape(shape) % 5 - 1.5).to(dtype)


def conv_with_grads(X: torch.Tensor, K: torch.Tensor, G: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The gradients of sum(strict_conv(X, K) * G) in X and in K, by autograd in float64."""
    X64 = X.double().requires_grad_(True)
    K64 = K.double().requires_grad_(True)
    backward_with(strict_conv(X64, K64), G.double())
    assert X64.grad is not None
    assert K64.grad is not None
    return X64.grad, K64.grad


def check_conv2d_strict(
    judge: UnderTest, X: torch.Tensor, K: torch.Tensor, *, device: str = "cpu", grads: bool = False
) -> None:
    """`conv2d_strict(X, K)` must be the strict convolution, in X's dtype on X's device; with `grads`,
    its gradients in X and K must be autograd's of the reference."""
    args = (X, K)
    ctx = context(CONV, args)
    right = strict_conv(X, K)
    G = grad_output_for(tuple(right.shape), X.dtype) if grads else None
    call = ask(judge, CONV, X, K, device=device, backward=G)
    got = expect_tensor(call.value, CONV, ctx)
    if got.data is not None and not same_answer(got, right):
        mistake = shown_throughout(judge, CONV, args, got, strict_conv, CONV_BATTERY)
        if mistake is not None:
            raise fail_with(mistake, {"name": CONV, "got": shown(got), "expected": shown(right)}, details=(ctx,))
    expect_shape(got, tuple(right.shape), CONV, ctx, msg("fc_to_conv.check.ex3_strict_conv.valid_shape"))
    expect_dtype_device(got, X.dtype, device, CONV, ctx, call.trace)
    if got.data is None:
        return
    rtol, atol = tolerance(X.dtype, right)
    close = torch.isclose(got.data.double(), right, rtol=rtol, atol=atol)
    if not bool(close.all()):
        raise values_failure(CONV, {"X": X, "K": K}, right, got, close, ctx)
    if G is not None:
        check_grads(X, K, G, call, ctx)


def check_grads(X: torch.Tensor, K: torch.Tensor, G: torch.Tensor, call: Call, ctx: Message) -> None:
    """Both gradients must reach the inputs and equal autograd's of the reference."""
    if call.backward_skipped is not None or call.grads is None:
        raise Failure(graph_cut(call.trace, CONV, "X, K"))
    grad_X, grad_K = conv_with_grads(X, K, G)
    for name, got, reference in (("X", call.grads[0], grad_X), ("K", call.grads[1], grad_K)):
        if got is None:
            raise Failure(graph_cut(call.trace, CONV, name))
        if got.data is None or got.shape != tuple(reference.shape):
            raise failure(msg("check.grad_shape", name=CONV, input=name), ctx)
        rtol, atol = tolerance(X.dtype, reference)
        close = torch.isclose(got.data.double(), reference, rtol=rtol, atol=atol)
        if not bool(close.all()):
            raise failure(
                msg("check.grad_wrong", name=CONV, input=name),
                ctx,
                msg("check.grad_explained", input=name),
                comparison=comparison({"X": X, "K": K, "grad_output": G}, reference.to(X.dtype), got, close),
                hint=msg("check.grad_hint"),
            )


def _kernels() -> tuple[torch.Tensor, ...]:
    A = torch.tensor([[1.0, 2.0, 0.0], [5.0, 3.0, 4.0], [6.0, 7.0, 9.0]])
    return (
        A,
        A + A.T,
        A + torch.flip(A, dims=(0,)),
        A + torch.flip(A, dims=(1,)),
        A + torch.flip(A, dims=(0, 1)),
        torch.tensor([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]),
    )


SAME_BATTERY = tuple((K,) for K in _kernels())
"""Kernels on which the ways of testing symmetry disagree: a random one, one symmetric under a
transpose only, under a flip of the rows only, of the columns only, and two under the rotation."""
CONV_BATTERY = (
    (
        torch.tensor([[0.5, -1.0, 2.0, 0.0, 1.5, -2.0]]).T @ torch.tensor([[1.0, 0.0, -1.0, 3.0, 2.0, 1.0]])
        + torch.arange(36.0).reshape(6, 6).remainder(7),
        torch.tensor([[1.0, 2.0, 0.0], [-1.0, 4.0, 3.0]]),
    ),
)
"""An input and a non-square kernel on which every flip of the kernel, and its transpose, differ."""


def check_same_as_correlation(judge: UnderTest, K: torch.Tensor) -> None:
    """`same_as_correlation(K)` must say whether K equals itself rotated by 180 degrees."""
    got = ask(judge, SAME, K).value
    right = rotation_symmetric(K)
    ctx = context(SAME, (K,))
    if isinstance(got, bool) and got != right:
        mistake = shown_throughout(judge, SAME, (K,), got, rotation_symmetric, SAME_BATTERY)
        params = {"name": SAME, "got": shown(got), "expected": shown(right)}
        if mistake is not None:
            raise fail_with(mistake, params, details=(ctx,))
        raise failure(msg("fc_to_conv.check.answer_wrong", **params), ctx)
    expect_answer(SAME, (K,), got, right, ctx)
