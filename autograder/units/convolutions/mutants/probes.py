"""How the oracle runs a mutant: random inputs, a time limit, and any error kept as an observation."""

from __future__ import annotations

import contextlib
import signal
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeGuard

import torch

from autograder.judge.checks.common import tolerance
from autograder.units.convolutions import references

CALL_SECONDS = 20.0
"""Far above what any call on the oracle's small inputs takes, even on a busy machine."""


class TooSlow(Exception):
    """The call ran past its time limit."""


@dataclass(frozen=True)
class Attempt:
    value: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


_UNLIMITED: list[bool] = []
"""Non-empty while `unlimited()` runs."""


@contextlib.contextmanager
def unlimited() -> Iterator[None]:
    """Calls without a time limit: for warming up, where a slow first import is expected."""
    _UNLIMITED.append(True)
    try:
        yield
    finally:
        _UNLIMITED.pop()


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TooSlow in the running Python code after `seconds` (main thread only)."""
    if _UNLIMITED:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TooSlow(f"no result within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def attempt(function: Callable[..., Any], *args: Any, seconds: float = CALL_SECONDS, **kwargs: Any) -> Attempt:
    """Call `function`; what it returns or raises, within a time limit."""
    try:
        with time_limit(seconds), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a mutant's warnings say nothing the result does not
            return Attempt(value=function(*args, **kwargs))
    except Exception as error:  # noqa: BLE001 - whatever a mutant raises is an observation about it
        return Attempt(error=error)


@dataclass(frozen=True)
class Case:
    """One input of a correlation: X and K, with the shape of the valid result."""

    X: torch.Tensor
    K: torch.Tensor

    @property
    def valid(self) -> tuple[int, ...]:
        return references.valid_shape(self.X.shape, self.K.shape)


MAX_SIDE = {1: 9, 2: 7, 3: 4}


def correlation_cases(ndim: int, dtype: torch.dtype, count: int, seed: int) -> list[Case]:
    """Random inputs of many shapes: square and not, kernels from 1 wide up to the input's size."""
    generator = torch.Generator().manual_seed(seed)
    cases = []
    for index in range(count):
        n = [int(torch.randint(2, MAX_SIDE[ndim] + 1, (1,), generator=generator)) for _ in range(ndim)]
        if index == 0:
            k = list(n)
        elif index == 1:
            k = [1] * ndim
        elif index in (2, 3):
            n, k = [n[0]] * ndim, [2] * ndim  # a square output: a transposed one has the right shape
        else:
            k = [int(torch.randint(1, side + 1, (1,), generator=generator)) for side in n]
        if index == 3:
            # Small integers with a zero in the kernel, like the examples of the text.
            X = torch.arange(float(torch.tensor(n).prod()), dtype=dtype).reshape(n)
            K = torch.arange(float(torch.tensor(k).prod()), dtype=dtype).reshape(k)
        else:
            X = torch.randn(n, generator=generator, dtype=torch.float64).to(dtype)
            K = torch.randn(k, generator=generator, dtype=torch.float64).to(dtype)
        cases.append(Case(X, K))
    return cases


def cases_for(ndim: int, count: int = 10, seed: int = 0) -> list[Case]:
    """Float32 and float64 cases together."""
    return [
        *correlation_cases(ndim, torch.float32, count, seed),
        *correlation_cases(ndim, torch.float64, count, seed + 1),
    ]


def close(got: torch.Tensor, expected: torch.Tensor, dtype: torch.dtype) -> bool:
    """Same shape and values within the tolerance the checks allow in `dtype` (compared in float64):
    a difference the grader forgives does not make a mutant another function."""
    if tuple(got.shape) != tuple(expected.shape):
        return False
    rtol, atol = tolerance(dtype, expected.detach())
    return bool(torch.allclose(got.detach().double(), expected.detach().double(), rtol=rtol, atol=atol))


def is_tensor(value: object) -> TypeGuard[torch.Tensor]:
    return isinstance(value, torch.Tensor)
