"""Slips of ex4_corr_as_matmul: cross-correlation as one matrix M, and M.T as the gradient for the input.

M is the dense weight of ex2 with (i, j) and (k, l) flattened row-major, so most models reuse
`slips.ex2_fc_as_conv`'s and flatten them.
"""

from __future__ import annotations

import torch

from autograder.units.fc_to_conv.slips import Slip
from autograder.units.fc_to_conv.slips import ex2_fc_as_conv as dense


def flat(W: torch.Tensor) -> torch.Tensor:
    """(out_h, out_w, n_h, n_w) -> (out_h * out_w, n_h * n_w), row-major on both sides."""
    out_h, out_w, n_h, n_w = W.shape
    return W.reshape(out_h * out_w, n_h * n_w)


def matrix(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    return flat(dense.placed(K, input_shape, dense.valid_shape(K, input_shape)))


def flipped(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    return flat(dense.flipped(K, input_shape))


def transposed(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    return matrix(K, input_shape).T


def same_centred(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    return flat(dense.same_centred(K, input_shape))


def same_clipped(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    return flat(dense.same_clipped(K, input_shape))


def same_valid_filled(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    return flat(dense.same_valid_filled(K, input_shape))


def one_short(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    return flat(dense.one_short(K, input_shape))


def column_major(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    """Rows numbered i + j * out_h and columns k + l * n_h: both sides flattened column by column."""
    W = dense.placed(K, input_shape, dense.valid_shape(K, input_shape))
    return flat(W.permute(1, 0, 3, 2))


def grad_through(M: torch.Tensor, input_shape: tuple[int, int], grad_output: torch.Tensor) -> torch.Tensor:
    return (M.T @ grad_output.detach().cpu().to(M.dtype).reshape(-1)).reshape(input_shape)


def grad_flipped(K: torch.Tensor, input_shape: tuple[int, int], grad_output: torch.Tensor) -> torch.Tensor:
    """The gradient of the convolution: the kernel spread back without its 180-degree turn."""
    return grad_through(flipped(K, input_shape), input_shape, grad_output)


def grad_column_major(K: torch.Tensor, input_shape: tuple[int, int], grad_output: torch.Tensor) -> torch.Tensor:
    """M.T of a column-major M applied to the row-major flattened grad_output."""
    return grad_through(column_major(K, input_shape), input_shape, grad_output)


SLIPS: tuple[Slip, ...] = (
    Slip("dense_kernel_flipped", "correlation_matrix", flipped, dense.kernel_in_both_axes),
    Slip("dense_transposed", "correlation_matrix", transposed, dense.sizes_told_apart),
    Slip("dense_same_size", "correlation_matrix", same_centred, dense.same_size_told),
    Slip("dense_same_size", "correlation_matrix", same_clipped, dense.same_size_told),
    Slip("dense_same_size", "correlation_matrix", same_valid_filled, dense.same_size_told),
    Slip("dense_one_short", "correlation_matrix", one_short, dense.sizes_told_apart),
    Slip("matrix_column_major", "correlation_matrix", column_major, dense.sizes_told_apart),
    Slip("input_grad_kernel_flipped", "correlation_input_grad", grad_flipped, dense.kernel_in_both_axes),
    Slip("matrix_column_major", "correlation_input_grad", grad_column_major, dense.sizes_told_apart),
)


def _kernel(*shape: int, seed: int) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


PROBES: dict[str, tuple[tuple[object, ...], ...]] = {
    "correlation_matrix": ((_kernel(2, 3, seed=81), (4, 6)), (_kernel(3, 1, seed=82), (5, 3))),
    "correlation_input_grad": (
        (_kernel(2, 3, seed=83), (4, 6), _kernel(3, 4, seed=84)),
        (_kernel(3, 2, seed=85), (5, 3), _kernel(3, 2, seed=86)),
    ),
}
