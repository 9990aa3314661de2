"""The arguments the oracle calls each exercise with: the kinds of input the hidden suite draws (sizes
from 1 to thousands, square and not, float32 and float64, structured weights that are and are not
translation invariant or local, kernels with and without symmetry), and the slips' own PROBES."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache

import torch

from autograder.units.fc_to_conv import UNIT

Arguments = tuple[object, ...]
SEED = 7000
"""The oracle's own inputs are fixed: a mutant's verdict is the same every run."""


def _randn(*shape: int, seed: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(SEED + seed), dtype=torch.float64).to(dtype)


def _shape_pairs() -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(input shape, kernel shape): square and not, kernels from 1 x 1 up to the input's size."""
    return [((3, 3), (2, 2)), ((5, 7), (2, 3)), ((6, 4), (3, 1)), ((4, 5), (1, 4)), ((3, 4), (3, 4)), ((2, 2), (1, 1))]


def _weight(K: torch.Tensor, shape: tuple[int, int]) -> torch.Tensor:
    """The fully connected weight of corr2d with K: W[i, j, i + a, j + b] = K[a, b]."""
    (k_h, k_w), (n_h, n_w) = K.shape, shape
    W = torch.zeros(n_h - k_h + 1, n_w - k_w + 1, n_h, n_w, dtype=K.dtype)
    for i in range(n_h - k_h + 1):
        for j in range(n_w - k_w + 1):
            W[i, j, i : i + k_h, j : j + k_w] = K
    return W


def _invariant(v: torch.Tensor, out: tuple[int, int], n: tuple[int, int]) -> torch.Tensor:
    """W[i, j, k, l] = v[k - i + out_h - 1, l - j + out_w - 1]: invariant, nonzero at every offset."""
    W = torch.zeros(*out, *n, dtype=v.dtype)
    for i in range(out[0]):
        for j in range(out[1]):
            W[i, j] = v[out[0] - 1 - i : out[0] - 1 - i + n[0], out[1] - 1 - j : out[1] - 1 - j + n[1]]
    return W


def _poked(W: torch.Tensor, index: tuple[int, int, int, int], by: float = 1.0) -> torch.Tensor:
    changed = W.clone()
    changed[index] += by
    return changed


def _fc_weights() -> list[Arguments]:
    found: list[Arguments] = []
    for number, (n, k) in enumerate(_shape_pairs()):
        found.append((_randn(*k, seed=number), n))
    found.append((_randn(2, 3, seed=10, dtype=torch.float64), (4, 6)))
    found.append((torch.arange(6.0).reshape(2, 3), (3, 5)))
    return found


def _weights() -> list[torch.Tensor]:
    """4-D weights: of correlations, invariant with every offset used, random, and one entry changed."""
    made = [_weight(K, n) for K, n in _fc_weights() if isinstance(K, torch.Tensor) and isinstance(n, tuple)]
    made.append(_invariant(_randn(4, 6, seed=20), (2, 3), (3, 4)))
    made.append(_invariant(_randn(3, 3, seed=21, dtype=torch.float64), (2, 2), (2, 2)))
    made.extend([_randn(2, 3, 3, 4, seed=22), _randn(3, 2, 4, 3, seed=23), _randn(1, 1, 3, 2, seed=24)])
    ones = torch.ones(2, 3, 2, 4)
    made.extend([torch.zeros(2, 2, 3, 3), ones])
    made.append(_poked(made[1], (1, 0, 1, 0)))
    made.append(_poked(made[1], (0, 1, 3, 6)))
    made.append(_poked(made[1], (1, 0, 4, 0)))  # offset (3, 0) in the last row of the input only
    made.append(_poked(ones, (1, 2, 1, 1)))
    made.append(_randn(1, 1, 3, 4, seed=25).expand(2, 3, 3, 4).contiguous())  # the same row of weights everywhere
    made.append(made[1] * torch.arange(1.0, 5.0).reshape(-1, 1, 1, 1))  # invariant along j only
    made.append(made[1] * torch.arange(1.0, 6.0).reshape(1, -1, 1, 1))  # invariant along i only
    return made


def _local() -> list[Arguments]:
    weights = _weights()
    found: list[Arguments] = [(W, delta) for W in weights for delta in (0, 1, 2, 3)]
    lone = torch.zeros(3, 3, 5, 5)
    lone[0, 2, 2, 0] = 1.0  # offset (2, -2)
    found.extend((lone, delta) for delta in (1, 2))
    lone = torch.zeros(3, 2, 5, 4)
    lone[2, 0, 0, 1] = -2.0  # offset (-2, 1)
    found.extend((lone, delta) for delta in (1, 2))
    return found


def _kernels_for_symmetry() -> list[Arguments]:
    A, B = _randn(3, 3, seed=30), _randn(2, 3, seed=31)
    return [
        (A + A.flip((0, 1)),),
        (B + B.flip((0, 1)),),
        (A + A.T,),
        (A + A.flip(0),),
        (B + B.flip(1),),
        (A,),
        (B,),
        (torch.ones(1, 4),),
        (torch.tensor([[1.0, -1.0]]),),
        (torch.tensor([[2.5]]),),
        (torch.tensor([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]),),
    ]


def _correlations() -> list[Arguments]:
    found: list[Arguments] = []
    for number, (n, k) in enumerate(_shape_pairs()):
        dtype = torch.float64 if number % 2 else torch.float32
        found.append((_randn(*n, seed=40 + number, dtype=dtype), _randn(*k, seed=50 + number, dtype=dtype)))
    found.append((torch.arange(9.0).reshape(3, 3), torch.arange(4.0).reshape(2, 2)))
    return found


def _input_grads() -> list[Arguments]:
    found: list[Arguments] = []
    for number, (K, n) in enumerate(_fc_weights()):
        assert isinstance(K, torch.Tensor)
        assert isinstance(n, tuple)
        out = (n[0] - K.shape[0] + 1, n[1] - K.shape[1] + 1)
        found.append((K, n, _randn(*out, seed=60 + number, dtype=K.dtype)))
    return found


_SIZES: list[Arguments] = [
    (6000, 6000, 100),
    (6000, 6000, 100, 3),
    (3000, 4000, 100, 3),
    (28, 28, 256),
    (2, 3, 1),
    (1, 1, 1),
    (1234, 3999, 777),
    (37, 11, 5, 2),
    (480, 640, 1000, 4),
]
_DIRECTIONS: list[Arguments] = [
    ((1.0, 0.0),),
    ((0.0, 1.0),),
    ((1.0, 1.0),),
    ((1.0, -1.0),),
    ((-2.0, 0.0),),
    ((0.0, 3.0),),
    ((2.0, 2.0),),
    ((-1.0, 1.0),),
    ((1.0, 2.0),),
    ((2.0, -1.0),),
    ((3.0, 1.0),),
    ((-2.5, 2.5),),
    ((0.37, -1.12),),
    ((-1.5, 0.25),),
    ((1, 0),),
    ((0, -1),),
]

SUITE_KINDS: dict[str, Callable[[], list[Arguments]]] = {
    "mlp_parameters": lambda: list(_SIZES),
    "mlp_memory_gb": lambda: list(_SIZES),
    "conv_parameters": lambda: [(3,), (1,), (5, 3, 16), (1, 3, 16), (7, 64, 128), (2, 3, 1), (3, 1, 4), (11, 2, 8)],
    "fc_weight_of_kernel": _fc_weights,
    "reindex": lambda: [(W,) for W in _weights()],
    "is_translation_invariant": lambda: [(W,) for W in _weights()],
    "is_local": _local,
    "conv2d_strict": _correlations,
    "same_as_correlation": _kernels_for_symmetry,
    "correlation_matrix": _fc_weights,
    "correlation_input_grad": _input_grads,
    "edge_kernel": lambda: list(_DIRECTIONS),
    "second_derivative_kernel": lambda: [()],
    "laplace_kernel": lambda: [()],
    "blur_kernel": lambda: [(size,) for size in range(2, 8)],
    "derivative_kernel": lambda: [(d,) for d in range(1, 7)],
    "diagonal_edge_image": lambda: [(n,) for n in (1, 2, 3, 5, 6, 8, 12)],
    "edges_of_diagonal": lambda: [(n,) for n in (2, 3, 5, 6, 8, 12)],
    "edges_of_transposed": lambda: [(n,) for n in (2, 3, 5, 6, 8, 12)],
    "edges_with_transposed_kernel": lambda: [(n,) for n in (2, 3, 5, 6, 8, 12)],
}


@cache
def probes(tag: str) -> tuple[Arguments, ...]:
    """The PROBES the slips of the exercise's file give for it (read when asked: they are being written)."""
    module = importlib.import_module(f"{UNIT.package}.slips.{UNIT.module_of(tag)}")
    given: dict[str, tuple[Arguments, ...]] = getattr(module, "PROBES", {})
    return tuple(given.get(tag, ()))


@cache
def arguments(tag: str) -> tuple[Arguments, ...]:
    """Every input the oracle runs the exercise on: the slips' probes, then the suite's kinds."""
    return (*probes(tag), *SUITE_KINDS[tag]())
