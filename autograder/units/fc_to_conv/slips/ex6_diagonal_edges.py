"""Slips of ex6_diagonal_edges: the image on the wrong side of its diagonal, and the text's edge kernel
applied with the wrong sign, to the wrong image, transposed, or with its output transposed."""

from __future__ import annotations

from collections.abc import Callable

import torch

from autograder.units.fc_to_conv.slips import Slip

IMAGE = "diagonal_edge_image"
EDGES = {
    # exercise: (whether it asks for the image transposed, whether for the kernel transposed)
    "edges_of_diagonal": (False, False),
    "edges_of_transposed": (True, False),
    "edges_with_transposed_kernel": (False, True),
}


def _edges(n: int, image_transposed: bool, kernel_transposed: bool) -> torch.Tensor:
    """The kernel [[1, -1]] (or its transpose) on the image that is 1 on and above the diagonal (or its transpose)."""
    X = torch.triu(torch.ones(n, n))
    if image_transposed:
        X = X.T
    return X[:-1, :] - X[1:, :] if kernel_transposed else X[:, :-1] - X[:, 1:]


def _slips_of(exercise: str) -> tuple[Slip, ...]:
    image_t, kernel_t = EDGES[exercise]

    def model(flip_image: bool, flip_kernel: bool, sign: float = 1.0) -> Callable[[int], torch.Tensor]:
        return lambda n: sign * _edges(n, image_t != flip_image, kernel_t != flip_kernel)

    return (
        Slip("edges_kernel_sign", exercise, model(False, False, -1.0)),
        Slip("edges_image_transposed", exercise, model(True, False)),
        Slip("edges_kernel_transposed", exercise, model(False, True)),
        Slip("edges_output_transposed", exercise, lambda n: _edges(n, image_t, kernel_t).T),
    )


SLIPS: tuple[Slip, ...] = (
    Slip("diagonal_below", IMAGE, lambda n: torch.tril(torch.ones(n, n))),
    Slip("diagonal_strict", IMAGE, lambda n: torch.triu(torch.ones(n, n), diagonal=1)),
    Slip("diagonal_values_swapped", IMAGE, lambda n: torch.tril(torch.ones(n, n), diagonal=-1)),
    *(slip for exercise in EDGES for slip in _slips_of(exercise)),
)
PROBES: dict[str, tuple[tuple[object, ...], ...]] = {
    IMAGE: ((2,), (3,), (5,), (9,)),
    **{exercise: ((2,), (3,), (5,), (9,)) for exercise in EDGES},
}
