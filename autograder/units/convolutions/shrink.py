"""The smallest input on which a correlation fails: a systematic search driven from the judge.

Shapes are tried from the smallest up, each with two value patterns (1, 2, 3, ... and small signed
integers), so the first failure found is as small as it gets and its numbers are easy to check by
hand. Exact integers also make float32 and float64 results exact. The search is deterministic:
the same submission always gets the same example.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterator

import torch

from autograder.feedback import Comparison
from autograder.judge.checks.common import tolerance
from autograder.judge.show import comparison, shown
from autograder.judge.student import Student
from autograder.sandbox.client import Benched, StudentFailure
from autograder.sandbox.wire import TensorValue
from autograder.units.convolutions import references

MAX_CALLS = 60
MAX_SECONDS = 5.0
_SIZES = {1: range(1, 7), 2: range(1, 5), 3: range(1, 4)}


def _shapes(ndim: int) -> Iterator[tuple[tuple[int, ...], tuple[int, ...]]]:
    dims = _SIZES[ndim]
    candidates = []
    for n in itertools.product(dims, repeat=ndim):
        for k in itertools.product(*(range(1, d + 1) for d in n)):
            candidates.append((sum(n) + sum(k), n, k))
    for _, n, k in sorted(candidates):
        yield n, k


def _patterns(shape: tuple[int, ...], dtype: torch.dtype) -> list[torch.Tensor]:
    count = math.prod(shape)
    counting = torch.arange(1, 1 + count, dtype=dtype).reshape(shape)
    signed = (torch.arange(count, dtype=torch.int64) * 7 + 3) % 7 - 3
    return [counting, signed.to(dtype).reshape(shape)]


def _fails(got: object, expected: torch.Tensor, dtype: torch.dtype) -> bool:
    if not isinstance(got, TensorValue) or got.data is None:
        return True
    if got.shape != tuple(expected.shape) or got.dtype != dtype:
        return True
    return not torch.allclose(got.data.double(), expected, *tolerance(dtype, expected))


def smallest_failure(student: Student, function: str, dtype: torch.dtype) -> Comparison | None:
    """Search small inputs for one where `function` disagrees with the reference; None if none found."""
    ndim = references.NDIM[function]
    names = ("x", "k") if ndim == 1 else ("X", "K")
    calls, deadline = 0, time.monotonic() + MAX_SECONDS
    for n, k in _shapes(ndim):
        for X, K in zip(_patterns(n, dtype), _patterns(k, dtype), strict=True):
            if calls >= MAX_CALLS or time.monotonic() > deadline:
                return None
            calls += 1
            expected = references.correlate(X, K)
            try:
                got = student.call(function, X, K, timeout=2.0).value
            except Benched:
                return None
            except StudentFailure:
                return Comparison(
                    inputs=(shown(names[0], X), shown(names[1], K)),
                    expected=shown("expected", expected.to(dtype)),
                    got=shown("got", None),
                )
            if _fails(got, expected, dtype):
                if isinstance(got, TensorValue) and got.data is not None and got.shape == tuple(expected.shape):
                    close = torch.isclose(got.data.double(), expected, *tolerance(dtype, expected))
                    return comparison({names[0]: X, names[1]: K}, expected.to(dtype), got, close)
                return Comparison(
                    inputs=(shown(names[0], X), shown(names[1], K)),
                    expected=shown("expected", expected.to(dtype)),
                    got=shown("got", got if isinstance(got, TensorValue) else None),
                )
    return None
