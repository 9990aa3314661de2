"""Exercise 4: learning a kernel from data.

Given an image X and the output Y of an unknown kernel, recover the kernel by gradient descent,
as in the text. Check your work with: python -m autograder check --exercise learn_kernel
"""

import torch
from torch import nn


def learn_kernel(
    X: torch.Tensor,
    Y: torch.Tensor,
    kernel_size: tuple[int, int] = (1, 2),
    lr: float = 3e-2,
    num_epochs: int = 10,
) -> tuple[torch.Tensor, list[float]]:
    """Learn the kernel that turned X into Y, with the training loop of the text.

    Args:
        X: input image, shape (n_h, n_w).
        Y: target output, shape (n_h - k_h + 1, n_w - k_w + 1).
        kernel_size: (k_h, k_w).
        lr: learning rate.
        num_epochs: number of updates.

    Returns:
        (kernel, losses): the learned kernel as a detached tensor of shape kernel_size, and a
        list of num_epochs Python floats, each the summed squared error before that epoch's
        update.

    Requirements:
        - Use nn.Conv2d(1, 1, kernel_size, bias=False), created before anything else that
          draws random numbers, and run on the device of X.
        - Reshape X and Y to (1, 1, h, w) inside.
        - In every epoch: compute the summed squared error, zero the gradient, backpropagate,
          and update the weight by hand: weight -= lr * grad.
    """
    raise NotImplementedError('Write the training loop of the text and return (kernel, losses).')
