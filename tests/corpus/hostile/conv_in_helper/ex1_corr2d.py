"""Hostile: the convolution hides in a helper module the exercise file imports."""

import torch
from corr_helpers import correlate


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return correlate(X, K)
