"""Hostile: corr2d through torch.ops.aten.slow_conv_dilated2d."""

import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch.ops.aten.slow_conv_dilated2d(X[None, None], K[None, None], list(K.shape))[0, 0]
