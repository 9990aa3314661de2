"""Hostile: pops every dispatch and function mode off PyTorch's stacks for the call, then computes with torch's convolution."""

import torch
from torch.utils import _python_dispatch as dispatch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    with dispatch._disable_current_modes():
        return torch.nn.functional.conv2d(X[None, None], K[None, None])[0, 0]
