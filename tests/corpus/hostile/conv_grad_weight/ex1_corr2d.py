"""Hostile: corr2d as the weight gradient of a convolution: torch.nn.grad.conv2d_weight(X, K's shape, K) correlates X with K."""

import torch
from torch.nn import grad


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    n_h, n_w = X.shape[0] - K.shape[0] + 1, X.shape[1] - K.shape[1] + 1
    return grad.conv2d_weight(X[None, None], (1, 1, n_h, n_w), K[None, None])[0, 0]
