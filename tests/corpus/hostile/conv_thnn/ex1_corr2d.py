"""Hostile: corr2d through torch._C._nn.thnn_conv2d, a convolution under a name no list had."""

import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch._C._nn.thnn_conv2d(X[None, None], K[None, None], tuple(K.shape))[0, 0]
