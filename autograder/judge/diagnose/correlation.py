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


def shape_mistake(X: torch.Tensor, K: torch.Tensor, got: tuple[int, ...]) -> Diagnosis | None:
    """Name the mistake behind an output of shape `got`, or None if it matches none we know."""
    n, k = tuple(X.shape), tuple(K.shape)
    valid = tuple(a - b + 1 for a, b in zip(n, k, strict=True))
    params = {"expected": shape_text(valid), "got": shape_text(got), "n": shape_text(n), "k": shape_text(k)}
    if len(got) == len(valid) + 2 and got[2:] == valid and got[:2] == (1, 1):
        return Diagnosis("extra_dimensions", params)
    if len(got) != len(valid):
        return None
    if got == tuple(v - 1 for v in valid):
        return Diagnosis("off_by_one_short", params)
    if got == tuple(v + 1 for v in valid):
        return Diagnosis("off_by_one_long", params)
    if got == n:
        return Diagnosis("same_size_output", params)
    if got == tuple(a + b - 1 for a, b in zip(n, k, strict=True)):
        return Diagnosis("full_size_output", params)
    if len(k) >= 2 and got == tuple(a - b + 1 for a, b in zip(n, tuple(reversed(k)), strict=True)):
        return Diagnosis("kernel_dims_swapped", params)
    if len(valid) >= 2 and got == tuple(reversed(valid)):
        return Diagnosis("transposed_output", params)
    return None


def _close(a: torch.Tensor, b: torch.Tensor, rtol: float, atol: float) -> bool:
    return a.shape == b.shape and bool(torch.allclose(a, b, rtol=rtol, atol=atol, equal_nan=False))


def value_mistake(
    X: torch.Tensor, K: torch.Tensor, got: torch.Tensor, trace: Trace, rtol: float, atol: float
) -> Diagnosis | None:
    """Name the mistake behind wrong values of the right shape. `got` is float64 on the CPU."""
    expected = references.correlate(X, K)
    params = {"n": shape_text(X.shape), "k": shape_text(K.shape)}
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
