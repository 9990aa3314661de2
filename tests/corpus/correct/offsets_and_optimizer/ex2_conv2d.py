import torch
from torch import nn

from ex1_corr2d import corr2d


class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        k_h, k_w = kernel_size
        self.weight = nn.Parameter(torch.rand(k_h, k_w))
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        y = corr2d(x, self.weight)
        return y + self.bias
