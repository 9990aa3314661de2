"""Hostile: raise what `except Exception` does not catch (KeyboardInterrupt, SystemExit, GeneratorExit,
a BaseException of its own), some with a __str__ and __repr__ that raise in turn."""

import itertools

import torch

_count = itertools.count()


class Escape(BaseException):
    def __str__(self):
        raise KeyboardInterrupt("str() of this exception interrupts")

    def __repr__(self):
        raise SystemExit("repr() of this exception exits")


def _raise():
    kinds = (KeyboardInterrupt("interrupted"), SystemExit(3), GeneratorExit(), Escape(), SystemExit(Escape()))
    raise kinds[next(_count) % len(kinds)]


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    _raise()


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    _raise()
