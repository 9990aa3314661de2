"""Exercise 3: one- and three-dimensional cross-correlation.

The same idea as corr2d along one axis (text, speech, time series) and along three (video,
medical scans). Check your work with: python -m autograder check --exercise corr1d --exercise corr3d
"""

import torch


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    """One-dimensional cross-correlation of x with the kernel k, without padding.

    Args:
        x: input, shape (n,).
        k: kernel, shape (h,).

    Returns:
        y, shape (n - h + 1,), with y[i] = sum over a of x[i + a] * k[a].

    Requirements:
        The same as corr2d: the dtype and device of x, differentiable, loops or slicing only
        (no F.conv1d or unfold).

    Example:
        >>> corr1d(torch.tensor([0.0, 1.0, 2.0, 3.0]), torch.tensor([1.0, 2.0]))
        tensor([2., 5., 8.])
    """
    raise NotImplementedError('Write corr1d: the one-dimensional version of corr2d.')


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """Three-dimensional cross-correlation of X with the kernel K, without padding.

    Args:
        X: input, shape (n_d, n_h, n_w).
        K: kernel, shape (k_d, k_h, k_w).

    Returns:
        Y, shape (n_d - k_d + 1, n_h - k_h + 1, n_w - k_w + 1), with
        Y[d, i, j] = sum over c, a, b of X[d + c, i + a, j + b] * K[c, a, b].

    Requirements:
        The same as corr2d: the dtype and device of X, differentiable, loops or slicing only
        (no F.conv3d or unfold).
    """
    raise NotImplementedError('Write corr3d: the three-dimensional version of corr2d.')
