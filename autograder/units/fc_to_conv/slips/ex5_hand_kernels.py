"""Slips of ex5_hand_kernels. Many kernels are right here, so a slip is told by a property of the
returned kernel (`shows`), the same properties the checks ask, for a direction, order or sign the
student mixed up; each model is one kernel that shows it."""

import torch

from autograder.units.fc_to_conv.checks.ex5_hand_kernels import (
    BASIC_QUADRATICS,
    blur_problem,
    derivative_problem,
    edge_problem,
    laplace_problem,
    monomials,
    reference_derivative,
    reference_edge,
    reference_laplace,
    second_derivatives,
)
from autograder.units.fc_to_conv.slips import Slip


def _edge_along(K: torch.Tensor, u: tuple[float, float]) -> bool:
    """Whether K is an edge kernel for direction u."""
    return edge_problem("", K.double(), u) is None


def _negated(K: torch.Tensor, d: int) -> bool:
    """Whether K is minus the d-th derivative (the text's [[1, -1]] is minus the first)."""
    return derivative_problem("", -K.double(), d, monomials(d)) is None


def _order_off_by_one(K: torch.Tensor, d: int) -> bool:
    """Whether K is, up to its sign, the derivative of order d - 1 or d + 1, one entry too short or long."""
    K = K.double()
    for e in (d - 1, d + 1):
        if e >= 0 and K.dim() == 2 and tuple(K.shape) == (1, e + 1):
            if any(derivative_problem("", s * K, e, monomials(e)) is None for s in (1, -1)):
                return True
    return False


def _one_axis(K: torch.Tensor) -> bool:
    """Whether K is the second derivative along the rows or along the columns only."""
    found = second_derivatives(K.double())
    return found is not None and sorted(round(abs(x), 4) for x in found) == [0.0, 2.0]


def _not_normalised(K: torch.Tensor, size: int) -> bool:
    """Whether K is a blur of the right shape whose weights do not sum to 1."""
    K = K.double()
    if K.dim() != 2 or tuple(K.shape) != (size, size) or float(K.min()) < 0:
        return False
    total = float(K.sum())
    return total > 0 and abs(total - 1) > 1e-5 and blur_problem("", K / total) is None


SLIPS: tuple[Slip, ...] = (
    Slip(
        "edge_along_v",
        "edge_kernel",
        lambda v: reference_edge((v[1], -v[0])),
        shows=lambda K, v: _edge_along(K, (v[1], -v[0])),
    ),
    Slip(
        "edge_axes_swapped",
        "edge_kernel",
        lambda v: reference_edge((v[1], v[0])),
        shows=lambda K, v: _edge_along(K, (v[1], v[0])),
    ),
    Slip(
        "derivative_negated",
        "second_derivative_kernel",
        lambda: -reference_derivative(2),
        shows=lambda K: _negated(K, 2),
    ),
    # Read from the wrong end (the text's [[1, -1]] taken d times), a kernel is minus the derivative
    # for odd d and right for even d: only odd orders tell its sign.
    Slip(
        "derivative_negated",
        "derivative_kernel",
        lambda d: -reference_derivative(d),
        applies=lambda d: d % 2 == 1,
        shows=_negated,
    ),
    Slip(
        "derivative_order_off_by_one",
        "second_derivative_kernel",
        lambda: reference_derivative(1),
        shows=lambda K: _order_off_by_one(K, 2),
    ),
    Slip(
        "derivative_order_off_by_one",
        "derivative_kernel",
        lambda d: reference_derivative(d - 1),
        shows=_order_off_by_one,
    ),
    Slip(
        "laplace_negated",
        "laplace_kernel",
        lambda: -reference_laplace(),
        shows=lambda K: laplace_problem("", -K.double(), BASIC_QUADRATICS) is None,
    ),
    Slip(
        "laplace_one_axis",
        "laplace_kernel",
        lambda: torch.tensor([[0.0, 0.0, 0.0], [1.0, -2.0, 1.0], [0.0, 0.0, 0.0]]),
        shows=_one_axis,
    ),
    Slip("blur_not_normalised", "blur_kernel", lambda size: torch.ones(size, size), shows=_not_normalised),
)

PROBES: dict[str, tuple[tuple[object, ...], ...]] = {
    "edge_kernel": (((1.0, 0.0),), ((0.0, -2.0),), ((1.0, -1.0),), ((1.0, 2.0),), ((-3.0, 0.5),)),
    "second_derivative_kernel": ((),),
    "laplace_kernel": ((),),
    "blur_kernel": ((2,), (3,), (6,)),
    "derivative_kernel": ((1,), (2,), (3,), (6,)),
}
