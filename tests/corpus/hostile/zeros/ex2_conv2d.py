"""The baseline of the hostile corpus: the honest layer, whose forward returns zeros."""

import torch
from torch import nn


class Conv2D(nn.Module):
    def __init__(self, kernel_size: tuple[int, int]) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.rand(kernel_size))
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        k_h, k_w = self.weight.shape
        return torch.zeros((x.shape[0] - k_h + 1, x.shape[1] - k_w + 1), dtype=x.dtype, device=x.device)
