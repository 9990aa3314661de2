"""Mistakes in corr1d, corr2d and corr3d, recognised from the shape or the values that came back."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from autograder.judge.checks.common import tolerance
from autograder.judge.show import shape_text
from autograder.judge.student import Trace
from autograder.units.convolutions import references


@dataclass(frozen=True)
class Diagnosis:
    mistake: str
    params: dict[str, str]


def shape_mistake(
    X: torch.Tensor, K: torch.Tensor, got: tuple[int, ...], values: torch.Tensor | None = None
) -> Diagnosis | None:
    """Name the mistake behind an output of shape `got`, or None if it matches none we know.

    A name is given only where the shape (or, for a transposed output, the values) tells that
    mistake apart from the others: on a square input, swapped kernel sizes and a transposed output
    give the same shape, and only the values can tell which it was.
    """
    n, k = tuple(X.shape), tuple(K.shape)
    valid = references.valid_shape(n, k)
    params = {"expected": shape_text(valid), "got": shape_text(got), "n": shape_text(n), "k": shape_text(k)}
    if len(got) == len(valid) + 2 and got[2:] == valid and got[:2] == (1, 1):
        return Diagnosis("extra_dimensions", params)
    if len(got) != len(valid):
        return None
    candidates = []
    if got == tuple(v - 1 for v in valid):
        candidates.append("off_by_one_short")
    if got == tuple(v + 1 for v in valid):
        candidates.append("off_by_one_long")
    if got == n:
        candidates.append("same_size_output")
    if got == references.full_shape(n, k):
        candidates.append("full_size_output")
    if len(k) >= 2 and got == references.valid_shape(n, tuple(reversed(k))):
        candidates.append("kernel_dims_swapped")
    transposed = len(valid) == 2 and got == tuple(reversed(valid))
    if transposed:
        transposed_values = references.correlate(X, K).T
        if values is not None and _close(values.double(), transposed_values, *tolerance(X.dtype, transposed_values)):
            return Diagnosis("transposed_output", params)
        if values is None:
            candidates.append("transposed_output")
    off = [d for d in range(len(valid)) if got[d] != valid[d]]
    if len(valid) >= 2 and len(off) == 1 and abs(got[off[0]] - valid[off[0]]) == 1:
        candidates.append("off_by_one_one_dimension")
        params = {**params, "dim": str(off[0])}
    # Two mistakes that would give this same shape: the shape alone does not say which.
    return Diagnosis(candidates[0], params) if len(candidates) == 1 else None


_FORMULAS = {
    1: {"formula": "y[i] = Σ_a x[i + a] · k[a]", "pair": "k[a] · x[i + a]"},
    2: {"formula": "Y[i, j] = Σ_(a, b) X[i + a, j + b] · K[a, b]", "pair": "K[a, b] · X[i + a, j + b]"},
    3: {
        "formula": "Y[i, j, l] = Σ_(a, b, c) X[i + a, j + b, l + c] · K[a, b, c]",
        "pair": "K[a, b, c] · X[i + a, j + b, l + c]",
    },
}
"""The definition in the input's number of dimensions, for the hints that spell it out."""


def _close(a: torch.Tensor, b: torch.Tensor, rtol: float, atol: float) -> bool:
    return a.shape == b.shape and bool(torch.allclose(a, b, rtol=rtol, atol=atol, equal_nan=False))


def value_mistake(
    X: torch.Tensor, K: torch.Tensor, got: torch.Tensor, trace: Trace, rtol: float, atol: float
) -> Diagnosis | None:
    """Name the mistake behind wrong values of the right shape. `got` is float64 on the CPU."""
    expected = references.correlate(X, K)
    params = {"n": shape_text(X.shape), "k": shape_text(K.shape), **_FORMULAS[X.dim()]}
    empty_used = any(trace.calls.get(name) for name in ("torch.empty", "torch.empty_like", "Tensor.new_empty"))
    if empty_used and not _close(got, expected, rtol, atol):
        # Values left over in memory can look like anything: say so before guessing further.
        wrong = ~torch.isclose(got, expected, rtol=rtol, atol=atol)
        if not torch.isfinite(got).all() or wrong.any():
            return Diagnosis("uninitialised_output", params)
    if not torch.isfinite(got).all():
        return Diagnosis("nan_or_inf", params)
    return variant_mistake(X, K, got, rtol, atol)


def variant_mistake(X: torch.Tensor, K: torch.Tensor, got: torch.Tensor, rtol: float, atol: float) -> Diagnosis | None:
    """Name the wrong variant of the correlation that `got` (float64, the valid shape) equals, if any.

    On an input where variants coincide (a one-row kernel, a symmetric image, a square shape) the name
    may be wrong: `confirms` checks it on an input where they all differ.
    """
    expected = references.correlate(X, K)
    params = {"n": shape_text(X.shape), "k": shape_text(K.shape), **_FORMULAS[X.dim()]}
    flipped = K.flip(tuple(range(K.dim())))
    if not torch.equal(flipped, K) and _close(got, references.correlate(X, flipped), rtol, atol):
        return Diagnosis("flipped_kernel", params)
    if K.dim() == 2 and K.shape[0] == K.shape[1] and not torch.equal(K, K.T):
        if _close(got, references.correlate(X, K.T), rtol, atol):
            return Diagnosis("transposed_kernel", params)
    if expected.dim() == 2 and expected.shape[0] == expected.shape[1] and _close(got, expected.T, rtol, atol):
        return Diagnosis("transposed_output", params)
    if K.numel() > 1 and _close(got, expected / K.numel(), rtol, atol):
        return Diagnosis("mean_instead_of_sum", params)
    ones = torch.ones_like(K)
    if not torch.equal(K, ones) and _close(got, references.correlate(X, ones), rtol, atol):
        return Diagnosis("kernel_not_multiplied", params)
    for dim in range(expected.dim()):
        if expected.shape[dim] < 2:
            continue
        body = [slice(None)] * expected.dim()
        body[dim] = slice(0, -1)
        last = [slice(None)] * expected.dim()
        last[dim] = slice(-1, None)
        if (
            _close(got[tuple(body)], expected[tuple(body)], rtol, atol)
            and bool((got[tuple(last)] == 0).all())
            and not bool((expected[tuple(last)] == 0).all())
        ):
            return Diagnosis("last_row_or_column_missing", {**params, "dim": str(dim)})
    return None


VARIANTS = frozenset(
    {
        "flipped_kernel",
        "transposed_kernel",
        "transposed_output",
        "mean_instead_of_sum",
        "kernel_not_multiplied",
        "last_row_or_column_missing",
        "off_by_one_short",
        "off_by_one_long",
        "same_size_output",
        "full_size_output",
        "kernel_dims_swapped",
        "off_by_one_one_dimension",
        "extra_dimensions",
    }
)
"""Mistakes named because the answer equals a wrong variant of the correlation (in values or shape):
each must be seen again on a discriminating input before it is stated."""

_DISCRIMINATING = {1: ((11,), (3,)), 2: ((7, 10), (2, 3)), 3: ((6, 9, 11), (2, 3, 4))}
"""Shapes on which every variant differs from the others: distinct sizes in every dimension, distinct
kernel sizes, and valid, transposed, swapped, one-off, same and full sizes all distinct."""
_SQUARE = {"square_kernel": ((7, 10), (3, 3)), "square_output": ((7, 10), (2, 5))}
"""A transposed kernel shows only with a square kernel, a transposed output in place only with a square
output: the input keeps distinct sizes (and the other kernel or output is not square)."""


def probe_kind(diagnosis: Diagnosis) -> str:
    """Which discriminating input can show the mistake: general, square_kernel or square_output."""
    if diagnosis.mistake == "transposed_kernel":
        return "square_kernel"
    if diagnosis.mistake == "transposed_output" and "got" not in diagnosis.params:
        return "square_output"  # seen in the values of a square output, not in a shape
    return "general"


def discriminating_input(ndim: int, dtype: torch.dtype, kind: str = "general") -> tuple[torch.Tensor, torch.Tensor]:
    """Random values (no symmetry, no linear structure) of the shapes above, the same every time."""
    x_shape, k_shape = _SQUARE[kind] if kind in _SQUARE and ndim == 2 else _DISCRIMINATING[ndim]
    generator = torch.Generator().manual_seed(7919 * ndim + len(kind))
    X = torch.randn(x_shape, generator=generator, dtype=torch.float64).to(dtype)
    K = torch.randn(k_shape, generator=generator, dtype=torch.float64).to(dtype)
    return X, K


def confirms(
    diagnosis: Diagnosis,
    X: torch.Tensor,
    K: torch.Tensor,
    shape: tuple[int, ...],
    values: torch.Tensor | None,
    rtol: float,
    atol: float,
) -> bool:
    """Whether the answer (`shape`, float64 `values`) to the discriminating input (X, K) shows the same
    mistake (in the same dimension) as `diagnosis`."""
    if values is None:
        return False
    valid = references.valid_shape(X.shape, K.shape)
    if diagnosis.mistake == "off_by_one_one_dimension":
        # Its text: the size along `dim` alone breaks n - k + 1 (one off on the test's input).
        dim = int(diagnosis.params["dim"])
        off = [d for d in range(len(valid)) if len(shape) == len(valid) and shape[d] != valid[d]]
        return off == [dim]
    if shape != valid:
        seen = shape_mistake(X, K, shape, values)
    elif not torch.isfinite(values).all():
        return False
    else:
        seen = variant_mistake(X, K, values, rtol, atol)
    return (
        seen is not None and seen.mistake == diagnosis.mistake and seen.params.get("dim") == diagnosis.params.get("dim")
    )
