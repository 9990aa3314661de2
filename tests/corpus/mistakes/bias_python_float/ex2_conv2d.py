import torch
from ex1_corr2d import corr2d
from torch import nn


class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        self.weight = nn.Parameter(torch.rand(kernel_size))
        self.bias = 0.0

    def forward(self, x):
        return corr2d(x, self.weight) + self.bias
