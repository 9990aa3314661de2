"""Checks of ex4_corr_as_matmul: the matrix M of a cross-correlation, and M.T as the input's gradient.

The judge's M is its dense weight of ex2 (the layer's answer to each one-hot image) flattened row-major;
the gradient for the input is autograd's through F.conv2d, never a matrix product of the judge's own.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from autograder.backprop import backward_with
from autograder.feedback import Failure
from autograder.i18n import msg
from autograder.judge.checks.common import UnderTest
from autograder.judge.show import shape_text
from autograder.units.fc_to_conv.checks.answers import ask, context, with_detail
from autograder.units.fc_to_conv.checks.ex2_fc_as_conv import (
    expect_gradient,
    expect_tensor_answer,
    grad_pattern,
    reference_weight,
    small_kernels,
    smallest_detail,
)


def reference_matrix(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    W = reference_weight(K, input_shape)
    out_h, out_w, n_h, n_w = W.shape
    return W.reshape(out_h * out_w, n_h * n_w)


def reference_input_grad(K: torch.Tensor, input_shape: tuple[int, int], grad_output: torch.Tensor) -> torch.Tensor:
    """d/dX of sum(corr2d(X, K) * grad_output), by autograd through F.conv2d (X's value is irrelevant)."""
    X = torch.zeros(input_shape, dtype=K.dtype, requires_grad=True)
    Y = F.conv2d(X.reshape(1, 1, *input_shape), K.detach().reshape(1, 1, *K.shape))
    backward_with(Y.reshape(grad_output.shape), grad_output.to(K.dtype))
    assert X.grad is not None
    return X.grad


def check_matrix(
    judge: UnderTest, K: torch.Tensor, input_shape: tuple[int, int], *, grads: bool = False, device: str = "cpu"
) -> None:
    """correlation_matrix(K, input_shape) is the judge's M; with `grads`, a known gradient on M
    reaches K as autograd's through the reference."""
    exercise = "correlation_matrix"
    args = (K, input_shape)
    ctx = context(exercise, args)
    leaf = K.detach().clone().requires_grad_(grads)
    right = reference_matrix(leaf, input_shape)
    G = grad_pattern(right.shape, K.dtype) if grads else None
    call = ask(judge, exercise, *args, device=device, backward=G)
    out_h, out_w = input_shape[0] - K.shape[0] + 1, input_shape[1] - K.shape[1] + 1
    try:
        expect_tensor_answer(
            exercise,
            args,
            call,
            right.detach(),
            ctx,
            device=device,
            dtype_checked=not grads,
            shape_rule=msg(
                "fc_to_conv.check.ex4.matrix_shape",
                n=shape_text(input_shape),
                k=shape_text(K.shape),
                rows=out_h * out_w,
                columns=input_shape[0] * input_shape[1],
            ),
            hint=msg("fc_to_conv.check.ex4.matrix_hint", n_w=input_shape[1], out_w=out_w),
            inputs={"K": K},
            input_name="K",
        )
    except Failure as error:
        raise with_detail(error, smallest_detail(judge, exercise, small_kernels(), reference_matrix)) from None
    if grads:
        assert G is not None
        backward_with(right, G)
        assert leaf.grad is not None
        expect_gradient(exercise, "K", call, leaf.grad, ctx, msg("fc_to_conv.check.ex2.weight_grad_hint"))


def small_gradients() -> list[tuple[torch.Tensor, tuple[int, int], torch.Tensor]]:
    found = []
    for K, n in small_kernels():
        out = (n[0] - K.shape[0] + 1, n[1] - K.shape[1] + 1)
        found.append((K, n, torch.arange(1.0, out[0] * out[1] + 1).reshape(out)))
    return found


def check_input_grad(
    judge: UnderTest,
    K: torch.Tensor,
    input_shape: tuple[int, int],
    grad_output: torch.Tensor,
    *,
    device: str = "cpu",
) -> None:
    """correlation_input_grad(K, input_shape, grad_output) is autograd's gradient for X."""
    exercise = "correlation_input_grad"
    args = (K, input_shape, grad_output)
    ctx = context(exercise, args)
    right = reference_input_grad(K, input_shape, grad_output)
    call = ask(judge, exercise, *args, device=device)
    try:
        expect_tensor_answer(
            exercise,
            args,
            call,
            right,
            ctx,
            device=device,
            dtype_checked=True,
            shape_rule=msg("fc_to_conv.check.ex4.input_grad_shape", n=shape_text(input_shape)),
            hint=msg("fc_to_conv.check.ex4.input_grad_hint"),
            inputs={"K": K, "grad_output": grad_output},
            input_name="K",
        )
    except Failure as error:
        raise with_detail(error, smallest_detail(judge, exercise, small_gradients(), reference_input_grad)) from None
