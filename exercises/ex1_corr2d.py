"""Exercise 1: two-dimensional cross-correlation.

A convolutional layer slides a small kernel over its input and, at each position, sums the
element-wise product of the kernel and the window under it. Write that operation yourself.
Check your work with: python -m autograder check --exercise corr2d
"""

import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """Two-dimensional cross-correlation of X with the kernel K, without padding ("valid").

    Args:
        X: input, shape (n_h, n_w).
        K: kernel, shape (k_h, k_w).

    Returns:
        Y, shape (n_h - k_h + 1, n_w - k_w + 1), with
        Y[i, j] = sum over a, b of X[i + a, j + b] * K[a, b].

    Requirements:
        - Y has the dtype of X and lives on the device of X.
        - Y is differentiable with respect to X and K: compute with tensor operations only
          (no .item(), .tolist(), .numpy() or torch.tensor(...) inside).
        - Use loops or slicing. PyTorch's convolution and unfold operators (F.conv2d,
          nn.Conv2d, unfold, ...) are not allowed: a solution using them scores 0.

    Example:
        >>> X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
        >>> K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
        >>> corr2d(X, K)
        tensor([[19., 25.],
                [37., 43.]])
    """
    raise NotImplementedError('Write corr2d: allocate the output, then fill each position with the sum of a window of X times K.')
