"""Slips of ex3_strict_conv: a kernel flipped wrongly or not at all, and symmetry tested the wrong way."""

import torch
import torch.nn.functional as F

from autograder.units.fc_to_conv.slips import Slip


def _corr(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return F.conv2d(X.double()[None, None], K.double()[None, None])[0, 0]


def _equal(A: torch.Tensor, B: torch.Tensor) -> bool:
    return A.shape == B.shape and bool(torch.equal(A, B))


SLIPS: tuple[Slip, ...] = (
    Slip("strict_conv_not_flipped", "conv2d_strict", _corr),
    Slip("strict_conv_one_axis", "conv2d_strict", lambda X, K: _corr(X, torch.flip(K, dims=(0,)))),
    Slip("strict_conv_one_axis", "conv2d_strict", lambda X, K: _corr(X, torch.flip(K, dims=(1,)))),
    Slip(
        "strict_conv_transposed",
        "conv2d_strict",
        lambda X, K: _corr(X, K.T),
        applies=lambda X, K: K.shape[1] <= X.shape[0] and K.shape[0] <= X.shape[1],
    ),
    Slip(
        "strict_conv_input_flipped",
        "conv2d_strict",
        lambda X, K: _corr(torch.flip(X, dims=(0, 1)), K),
        # With a 1 x 1 output the flipped input gives the right sum.
        applies=lambda X, K: X.shape[0] > K.shape[0] or X.shape[1] > K.shape[1],
    ),
    Slip("symmetry_as_transpose", "same_as_correlation", lambda K: _equal(K, K.T)),
    Slip("symmetry_one_axis", "same_as_correlation", lambda K: _equal(K, torch.flip(K, dims=(0,)))),
    Slip("symmetry_one_axis", "same_as_correlation", lambda K: _equal(K, torch.flip(K, dims=(1,)))),
    Slip("symmetry_assumed", "same_as_correlation", lambda K: True),
)


def _probe(*shape: int, seed: int) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


_A = _probe(3, 3, seed=31)
PROBES: dict[str, tuple[tuple[object, ...], ...]] = {
    "conv2d_strict": (
        (_probe(5, 6, seed=32), _probe(2, 3, seed=33)),
        (_probe(4, 4, seed=34), _probe(3, 3, seed=35)),
        (_probe(3, 5, seed=36), _probe(3, 1, seed=37)),
    ),
    "same_as_correlation": (
        (_probe(2, 3, seed=38),),
        (_A + torch.flip(_A, dims=(0, 1)),),
        (_A + _A.T,),
        (_A + torch.flip(_A, dims=(0,)),),
        (_A + torch.flip(_A, dims=(1,)),),
        (torch.tensor([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]),),
    ),
}
