"""Hostile: corr3d through torch._C._nn.slow_conv3d, corr1d through it too (as a 3-D volume one deep and one high)."""

import torch


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    out = torch._C._nn.slow_conv3d(x[None, None, None, None], k[None, None, None, None], (1, 1, k.shape[0]))
    return out[0, 0, 0, 0]


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch._C._nn.slow_conv3d(X[None, None], K[None, None], tuple(K.shape))[0, 0]
