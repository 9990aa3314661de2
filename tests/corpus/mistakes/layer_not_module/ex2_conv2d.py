import torch
from torch import nn

from ex1_corr2d import corr2d


class Conv2D:
    def __init__(self, kernel_size):
        pass
        self.weight = nn.Parameter(torch.rand(kernel_size))
        self.bias = nn.Parameter(torch.zeros(1))

    def __call__(self, x):
        return self.forward(x)

    def forward(self, x):
        return corr2d(x, self.weight) + self.bias
