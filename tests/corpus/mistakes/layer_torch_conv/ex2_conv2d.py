import torch
import torch.nn.functional as F
from torch import nn


class Conv2D(nn.Module):
    """A layer whose forward skips corr2d for PyTorch's own convolution."""

    def __init__(self, kernel_size):
        super().__init__()
        self.weight = nn.Parameter(torch.rand(kernel_size))
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return F.conv2d(x[None, None], self.weight[None, None])[0, 0] + self.bias
