"""Mistakes in corr1d, corr2d and corr3d, recognised from the shape or the values that came back."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from autograder.judge import references
from autograder.judge.show import shape_text
from autograder.judge.student import Trace


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
    valid = tuple(a - b + 1 for a, b in zip(n, k, strict=True))
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
    if got == tuple(a + b - 1 for a, b in zip(n, k, strict=True)):
        candidates.append("full_size_output")
    if len(k) >= 2 and got == tuple(a - b + 1 for a, b in zip(n, tuple(reversed(k)), strict=True)):
        candidates.append("kernel_dims_swapped")
    transposed = len(valid) == 2 and got == tuple(reversed(valid))
    if transposed:
        if values is not None and _close(values.double(), references.correlate(X, K).T, 1e-4, 1e-4):
            return Diagnosis("transposed_output", params)
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
