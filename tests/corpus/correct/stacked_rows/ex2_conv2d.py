import torch
from torch import nn

import ex1_corr2d


class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        self.weight = nn.Parameter(torch.rand(*kernel_size))
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        out = ex1_corr2d.corr2d(x, self.weight)
        return out + self.bias
