"""Hostile: DisableTorchFunction around F.conv2d, for a recorder made of function hooks."""

import torch
import torch.nn.functional as F


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    with torch._C.DisableTorchFunction():
        return F.conv2d(X[None, None], K[None, None])[0, 0]
