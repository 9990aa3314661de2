"""Exercise 3: cross-correlation against strict convolution.

A convolutional layer computes a cross-correlation, Y[i, j] = sum over a, b of K[a, b] * X[i + a, j + b].
The strict (mathematical) convolution reads the kernel from its far end, with the indices -a, -b:
it is the cross-correlation with the kernel flipped in both axes. The notes say that by symmetry
there is no difference in practice: a layer learns its kernel, and a flipped kernel is learned just
as well. Here you write the strict convolution and find out exactly when the two results agree.
The file gives corr2d, the cross-correlation of the text.
Check your work with: python -m autograder check --unit fc_to_conv --exercise conv2d_strict --exercise same_as_correlation
"""

import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """Two-dimensional cross-correlation of X with the kernel K, as in the text (given, not graded).

    Y[i, j] = sum over a, b of X[i + a, j + b] * K[a, b], of shape (n_h - k_h + 1, n_w - k_w + 1),
    in X's dtype and on X's device.
    """
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


def conv2d_strict(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """Strict two-dimensional convolution of X with the kernel K, without padding.

    Args:
        X: input, shape (n_h, n_w).
        K: kernel, shape (k_h, k_w).

    Returns:
        Y, shape (n_h - k_h + 1, n_w - k_w + 1), with
        Y[i, j] = sum over a, b of X[i + a, j + b] * K[k_h - 1 - a, k_w - 1 - b]:
        the cross-correlation corr2d with K flipped in both axes.

    Requirements:
        - Y has the dtype of X and lives on the device of X.
        - Y is differentiable with respect to X and K. Any torch operator may be used.

    Example:
        >>> X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
        >>> K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
        >>> conv2d_strict(X, K)
        tensor([[ 5., 11.],
                [23., 29.]])
    """
    raise NotImplementedError('Write conv2d_strict: flip K in both axes, then cross-correlate (corr2d or a torch operator).')


def same_as_correlation(K: torch.Tensor) -> bool:
    """Whether the strict convolution with K equals the cross-correlation with K for every input.

    Args:
        K: kernel, shape (k_h, k_w).

    Returns:
        True if conv2d_strict(X, K) == corr2d(X, K) for every X, else False (a Python bool).
        Decide from K itself: which symmetry of K makes flipping it change nothing?

    Example:
        >>> same_as_correlation(torch.tensor([[1.0, 2.0, 1.0]]))
        True
        >>> same_as_correlation(torch.tensor([[1.0, -1.0]]))
        False
    """
    raise NotImplementedError('Write same_as_correlation: compare K with K flipped in both axes.')
