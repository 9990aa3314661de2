"""Exercise 2: a convolutional layer.

The layer holds a learnable kernel (weight) and a learnable scalar bias, and computes
corr2d(x, weight) + bias with your corr2d from exercise 1.
Check your work with: python -m autograder check --exercise Conv2D
"""

import torch
from ex1_corr2d import corr2d
from torch import nn


class Conv2D(nn.Module):
    """A two-dimensional convolutional layer: cross-correlation with a learnable kernel, plus a bias."""

    def __init__(self, kernel_size: tuple[int, int]) -> None:
        """Create the parameters.

        Args:
            kernel_size: (k_h, k_w), the shape of the kernel.

        Requirements:
            - self.weight: an nn.Parameter of shape kernel_size, initialised uniformly in [0, 1)
              (torch.rand).
            - self.bias: an nn.Parameter of shape (1,), initialised to zero.
        """
        super().__init__()
        raise NotImplementedError('Create self.weight and self.bias as nn.Parameters (see the docstring).')

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the layer to a 2-D input x of shape (n_h, n_w).

        Returns:
            corr2d(x, self.weight) + self.bias, of shape (n_h - k_h + 1, n_w - k_w + 1).
            Use your corr2d from exercise 1.
        """
        raise NotImplementedError('Return corr2d(x, self.weight) + self.bias.')
