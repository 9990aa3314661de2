"""Hostile: 20 MB of output at import and in every call (print, sys.__stdout__, the raw file
descriptors 1 and 2), and an error message of 20 MB."""

import os
import sys

import torch

CHUNK = "x" * (1 << 20)


def _flood():
    for _ in range(20):
        print(CHUNK)
        sys.stderr.write(CHUNK)
        if sys.__stdout__ is not None:
            sys.__stdout__.write(CHUNK)
        for fd in (1, 2):
            try:
                os.write(fd, CHUNK.encode())
            except OSError:
                pass


_flood()


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    _flood()
    return torch.ones(x.shape[0] - k.shape[0] + 1, dtype=x.dtype, device=x.device)


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    _flood()
    raise ValueError("y" * (20 << 20))
