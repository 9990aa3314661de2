"""{module.ex2_conv2d}"""

import torch
from ex1_corr2d import corr2d
from torch import nn


class Conv2D(nn.Module):
    """{doc.Conv2D}"""

    def __init__(self, kernel_size: tuple[int, int]) -> None:
        """{doc.Conv2D_init}"""
        super().__init__()
        # BEGIN SOLUTION
        self.weight = nn.Parameter(torch.rand(kernel_size))
        self.bias = nn.Parameter(torch.zeros(1))
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """{doc.Conv2D_forward}"""
        # BEGIN SOLUTION
        return corr2d(x, self.weight) + self.bias
        # END SOLUTION
