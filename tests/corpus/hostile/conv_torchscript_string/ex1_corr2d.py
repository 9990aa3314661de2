"""Hostile: torch.jit.CompilationUnit: the convolution lives in TorchScript source held in a string."""

import torch

_UNIT = torch.jit.CompilationUnit(
    "def run(x, k):\n"
    "    return torch.conv2d(x.unsqueeze(0).unsqueeze(0), k.unsqueeze(0).unsqueeze(0))[0, 0]\n"
)


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return _UNIT.run(X, K)
