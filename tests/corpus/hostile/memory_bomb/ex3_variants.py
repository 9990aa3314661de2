"""Hostile: allocate memory without end, in every way at hand (Python objects, numpy, torch), touching
each page so it is really used, and keep what was allocated when an allocation fails."""

import numpy
import torch

_hoard = []


def _bomb():
    step = 64 << 20
    while True:
        try:
            _hoard.append(bytearray(step))
            _hoard.append(numpy.ones(step // 8))
            _hoard.append(torch.ones(step // 4))
        except (MemoryError, RuntimeError):
            step //= 2
            if step < 4096:
                break
    return torch.empty(1 << 40)


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return _bomb()


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return _bomb()
