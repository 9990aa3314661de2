"""Hostile: replace PyTorch's convolutions (and the arithmetic a comparison uses) by functions that
agree with this file's answers, hoping the grader computes its reference with the poisoned torch.
Patched at import, so it also reaches any other code in the same process."""

import torch
import torch.nn.functional as F
from torch import nn


def _ones_like_output(x, weight, *args, **kwargs):
    shape = tuple(x.shape[:-weight.dim() + 2]) + tuple(n - k + 1 for n, k in zip(x.shape[2:], weight.shape[2:]))
    return torch.ones(shape, dtype=x.dtype, device=x.device)


for name in ("conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"):
    setattr(torch, name, _ones_like_output)
    setattr(F, name, _ones_like_output)
nn.Conv1d.forward = lambda self, x: _ones_like_output(x, self.weight)
nn.Conv2d.forward = lambda self, x: _ones_like_output(x, self.weight)
nn.Conv3d.forward = lambda self, x: _ones_like_output(x, self.weight)
torch.Tensor.__sub__ = lambda self, other: torch.zeros_like(self)
torch.Tensor.sub = lambda self, other, **kwargs: torch.zeros_like(self)
torch.sub = lambda a, b, **kwargs: torch.zeros_like(a)
torch.Tensor.abs = lambda self: torch.zeros_like(self)
torch.abs = lambda a: torch.zeros_like(a)
torch.Tensor.max = lambda self, *args, **kwargs: torch.zeros((), dtype=self.dtype)


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return torch.ones(x.shape[0] - k.shape[0] + 1, dtype=x.dtype, device=x.device)


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch.ones(tuple(n - k + 1 for n, k in zip(X.shape, K.shape)), dtype=X.dtype, device=X.device)
