"""Slips of ex2_fc_as_conv: the dense weight of a kernel, its re-indexing, and the two principles as checks.

The models are written from the definitions, independently of the reference solutions; `placed` is
also the model of the dense matrix of ex4, which is this weight with its two pairs of axes flattened.
"""

from __future__ import annotations

import torch

from autograder.units.fc_to_conv.slips import Slip


def placed(
    K: torch.Tensor, input_shape: tuple[int, int], out_shape: tuple[int, int], shift: tuple[int, int] = (0, 0)
) -> torch.Tensor:
    """W[i, j, i + a - shift_h, j + b - shift_w] = K[a, b] for every output (i, j) of out_shape, the
    kernel entries that fall outside the input dropped."""
    k_h, k_w = K.shape
    n_h, n_w = input_shape
    out_h, out_w = out_shape
    kernel = K.detach().cpu()
    W = torch.zeros((max(out_h, 0), max(out_w, 0), n_h, n_w), dtype=K.dtype)
    for i in range(out_h):
        for j in range(out_w):
            for a in range(k_h):
                for b in range(k_w):
                    k, m = i + a - shift[0], j + b - shift[1]
                    if 0 <= k < n_h and 0 <= m < n_w:
                        W[i, j, k, m] = kernel[a, b]
    return W


def valid_shape(K: torch.Tensor, input_shape: tuple[int, int]) -> tuple[int, int]:
    return input_shape[0] - K.shape[0] + 1, input_shape[1] - K.shape[1] + 1


def flipped(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    """The weight of a convolution: the kernel read from its far end."""
    return placed(K.flip(0, 1), input_shape, valid_shape(K, input_shape))


def transposed(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    """W indexed [k, l, i, j]: the input's axes first, the weight of the transposed layer."""
    return placed(K, input_shape, valid_shape(K, input_shape)).permute(2, 3, 0, 1)


def same_centred(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    """An output as large as the input, the kernel centred on it (PyTorch's padding="same")."""
    shift = ((K.shape[0] - 1) // 2, (K.shape[1] - 1) // 2)
    return placed(K, input_shape, input_shape, shift)


def same_clipped(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    """An output as large as the input, windows hanging over the bottom and right edges clipped."""
    return placed(K, input_shape, input_shape)


def same_valid_filled(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    """An output allocated as large as the input, only the valid positions filled."""
    out_h, out_w = valid_shape(K, input_shape)
    W = torch.zeros((*input_shape, *input_shape), dtype=K.dtype)
    W[:out_h, :out_w] = placed(K, input_shape, (out_h, out_w))
    return W


def one_short(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    """n - k output positions per axis instead of n - k + 1."""
    out_h, out_w = valid_shape(K, input_shape)
    return placed(K, input_shape, (out_h - 1, out_w - 1))


def kernel_in_both_axes(K: torch.Tensor, input_shape: tuple[int, int], *rest: object) -> bool:
    """A kernel of at least 2 x 2, smaller than the input: flipping both axes differs from flipping
    one (a one-row kernel flipped is the same as flipped in both), and from reversing the input's
    pixels (the same thing when the kernel covers the whole input)."""
    return min(K.shape) > 1 and valid_shape(K, input_shape) != (1, 1)


def sizes_told_apart(K: torch.Tensor, input_shape: tuple[int, int], *rest: object) -> bool:
    """A non-square input and output: sizes or axes swapped elsewhere cannot give the slip's shape
    (a 1-wide kernel on a square input makes (out_w, out_w, n_h, n_w) the same-size shape), and a
    column-major matrix is not a transposed kernel's."""
    out_h, out_w = valid_shape(K, input_shape)
    return input_shape[0] != input_shape[1] and out_h != out_w


def same_size_told(K: torch.Tensor, input_shape: tuple[int, int]) -> bool:
    return tuple(K.shape) != (1, 1) and sizes_told_apart(K, input_shape)


def reindex_model(W: torch.Tensor) -> torch.Tensor:
    """V[i, j, a + out_h - 1, b + out_w - 1] = W[i, j, i + a, j + b], 0 where i + a or j + b is outside."""
    out_h, out_w, n_h, n_w = W.shape
    V = torch.zeros((out_h, out_w, out_h + n_h - 1, out_w + n_w - 1), dtype=W.dtype)
    for i in range(out_h):
        for j in range(out_w):
            V[i, j, out_h - 1 - i : out_h - 1 - i + n_h, out_w - 1 - j : out_w - 1 - j + n_w] = W[i, j].detach().cpu()
    return V


def reindex_unshifted(W: torch.Tensor) -> torch.Tensor:
    """Offsets stored at a, not a + out_h - 1: a negative offset's index wraps around to the end."""
    out_h, out_w = W.shape[:2]
    return torch.roll(reindex_model(W), shifts=(1 - out_h, 1 - out_w), dims=(2, 3))


def reindex_reversed(W: torch.Tensor) -> torch.Tensor:
    """The offset taken as i - k instead of k - i (stored at i - k + n_h - 1)."""
    return reindex_model(W).flip(2, 3)


def reindex_non_negative(W: torch.Tensor) -> torch.Tensor:
    """Only the offsets a, b >= 0, in a V of W's own shape."""
    out_h, out_w, n_h, n_w = W.shape
    return reindex_model(W)[:, :, out_h - 1 : out_h - 1 + n_h, out_w - 1 : out_w - 1 + n_w].contiguous()


def moves_both_axes(W: torch.Tensor) -> bool:
    return W.shape[0] > 1 or W.shape[1] > 1


def invariant_down(W: torch.Tensor) -> bool:
    """Only one step down the rows compared: W[i + 1, j, k + 1, l] == W[i, j, k, l]."""
    return torch.equal(W[1:, :, 1:, :], W[:-1, :, :-1, :])


def invariant_across(W: torch.Tensor) -> bool:
    """Only one step across the columns compared: W[i, j + 1, k, l + 1] == W[i, j, k, l]."""
    return torch.equal(W[:, 1:, :, 1:], W[:, :-1, :, :-1])


def invariant_with_padding(W: torch.Tensor) -> bool:
    """V[i, j] == V[0, 0] for every (i, j), the zeros V holds outside the input compared as values."""
    V = reindex_model(W)
    return bool((V[:1, :1] == V).all())


def invariant_w(W: torch.Tensor) -> bool:
    """w independent of (i, j), instead of v: W[i, j] == W[0, 0]."""
    return bool((W[:1, :1] == W).all())


def offsets(W: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """k - i and l - j for every entry of W, broadcast to W's shape."""
    out_h, out_w, n_h, n_w = W.shape
    i = torch.arange(out_h).reshape(-1, 1, 1, 1)
    j = torch.arange(out_w).reshape(1, -1, 1, 1)
    k = torch.arange(n_h).reshape(1, 1, -1, 1)
    m = torch.arange(n_w).reshape(1, 1, 1, -1)
    return (k - i).expand(W.shape), (m - j).expand(W.shape)


def zero_where(W: torch.Tensor, far: torch.Tensor) -> bool:
    return not bool((W.detach().cpu() != 0)[far].any())


def local_strict(W: torch.Tensor, delta: int) -> bool:
    """|k - i| < delta taken for near (zero required at exactly delta)."""
    a, b = offsets(W)
    return zero_where(W, (a.abs() >= delta) | (b.abs() >= delta))


def local_without_abs(W: torch.Tensor, delta: int) -> bool:
    """k - i > delta without the absolute value: negative offsets are never far."""
    a, b = offsets(W)
    return zero_where(W, (a > delta) | (b > delta))


def local_rows(W: torch.Tensor, delta: int) -> bool:
    """Only the row offset k - i bounded."""
    a, _ = offsets(W)
    return zero_where(W, a.abs() > delta)


def local_columns(W: torch.Tensor, delta: int) -> bool:
    """Only the column offset l - j bounded."""
    _, b = offsets(W)
    return zero_where(W, b.abs() > delta)


SLIPS: tuple[Slip, ...] = (
    Slip("dense_kernel_flipped", "fc_weight_of_kernel", flipped, kernel_in_both_axes),
    Slip("dense_transposed", "fc_weight_of_kernel", transposed, sizes_told_apart),
    Slip("dense_same_size", "fc_weight_of_kernel", same_centred, same_size_told),
    Slip("dense_same_size", "fc_weight_of_kernel", same_clipped, same_size_told),
    Slip("dense_same_size", "fc_weight_of_kernel", same_valid_filled, same_size_told),
    Slip("dense_one_short", "fc_weight_of_kernel", one_short, sizes_told_apart),
    Slip("reindex_unshifted", "reindex", reindex_unshifted, moves_both_axes),
    Slip("reindex_offset_reversed", "reindex", reindex_reversed),
    Slip("reindex_negative_offsets_dropped", "reindex", reindex_non_negative, moves_both_axes),
    Slip("invariance_one_axis", "is_translation_invariant", invariant_down),
    Slip("invariance_one_axis", "is_translation_invariant", invariant_across),
    Slip("invariance_padding_compared", "is_translation_invariant", invariant_with_padding),
    Slip("invariance_of_w", "is_translation_invariant", invariant_w),
    Slip("locality_strict_bound", "is_local", local_strict),
    Slip("locality_without_abs", "is_local", local_without_abs),
    Slip("locality_one_axis", "is_local", local_rows),
    Slip("locality_one_axis", "is_local", local_columns),
)


def _kernel(*shape: int, seed: int) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def _perturbed(W: torch.Tensor, at: tuple[int, int, int, int]) -> torch.Tensor:
    changed = W.clone()
    changed[at] += 7.0
    return changed


_W = placed(_kernel(3, 2, seed=71), (5, 4), (3, 3))
PROBES: dict[str, tuple[tuple[object, ...], ...]] = {
    "fc_weight_of_kernel": (
        (_kernel(3, 2, seed=72), (5, 6)),
        (_kernel(1, 3, seed=73), (3, 6)),
        (_kernel(2, 2, seed=76), (4, 3)),
    ),
    "reindex": ((_kernel(2, 3, 4, 5, seed=74),), (_W,)),
    "is_translation_invariant": (
        (_W,),
        (_perturbed(_W, (2, 0, 0, 3)),),
        (_W * torch.arange(1.0, 4.0).reshape(1, 3, 1, 1),),
        (_W * torch.arange(1.0, 4.0).reshape(3, 1, 1, 1),),
        (_kernel(4, 5, seed=75).expand(2, 2, 4, 5).contiguous(),),
    ),
    "is_local": (
        (_W, 2),
        (_W, 1),
        (_perturbed(torch.zeros(3, 3, 5, 4), (2, 1, 0, 1)), 2),
        (_perturbed(torch.zeros(3, 3, 5, 4), (0, 2, 0, 0)), 1),
        (_perturbed(torch.zeros(3, 3, 5, 4), (0, 0, 3, 0)), 2),
    ),
}
