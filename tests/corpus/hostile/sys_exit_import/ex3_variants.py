"""Hostile: sys.exit() while the grader imports the file."""

import sys

import torch

sys.exit(0)


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return torch.ones(x.shape[0] - k.shape[0] + 1)


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch.ones(1, 1, 1)
