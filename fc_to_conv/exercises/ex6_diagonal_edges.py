"""Exercise 6: the edge kernel on a diagonal edge.

The text finds vertical edges with the kernel K = [[1, -1]]. What does it find on an image whose
edge runs along the diagonal, on that image transposed, and with K transposed?
Check your work with: python -m autograder check --unit fc_to_conv --exercise diagonal_edge_image --exercise edges_of_diagonal --exercise edges_of_transposed --exercise edges_with_transposed_kernel
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


EDGE_KERNEL = torch.tensor([[1.0, -1.0]])
"""The text's edge kernel K = [[1, -1]]: each output of corr2d(X, K) is a pixel minus its right-hand
neighbour, 1 where a row steps from 1 to 0 and -1 where it steps from 0 to 1.
"""


def diagonal_edge_image(n: int) -> torch.Tensor:
    """An n x n image with an edge along its main diagonal.

    Args:
        n: the image's height and width.

    Returns:
        A float32 tensor of shape (n, n): 1.0 on and above the main diagonal (column j >= row i),
        0.0 below it.

    Example:
        >>> diagonal_edge_image(4)
        tensor([[1., 1., 1., 1.],
                [0., 1., 1., 1.],
                [0., 0., 1., 1.],
                [0., 0., 0., 1.]])
    """
    raise NotImplementedError('Write diagonal_edge_image: an n x n float32 tensor, 1.0 where j >= i and 0.0 below.')


def edges_of_diagonal(n: int) -> torch.Tensor:
    """The text's edge kernel K = EDGE_KERNEL = [[1, -1]] on the diagonal image.

    Args:
        n: the image's size, n >= 2.

    Returns:
        corr2d(diagonal_edge_image(n), K), of shape (n, n - 1). Each entry is a pixel minus its
        right-hand neighbour: where is that not 0, and with which sign?

    Example:
        >>> edges_of_diagonal(4)
        tensor([[ 0.,  0.,  0.],
                [-1.,  0.,  0.],
                [ 0., -1.,  0.],
                [ 0.,  0., -1.]])
    """
    raise NotImplementedError('Write edges_of_diagonal: corr2d of the diagonal image with EDGE_KERNEL.')


def edges_of_transposed(n: int) -> torch.Tensor:
    """The same kernel K = [[1, -1]] on the diagonal image transposed.

    Args:
        n: the image's size, n >= 2.

    Returns:
        corr2d(diagonal_edge_image(n).T, K), of shape (n, n - 1).

    Example:
        >>> edges_of_transposed(4)
        tensor([[1., 0., 0.],
                [0., 1., 0.],
                [0., 0., 1.],
                [0., 0., 0.]])
    """
    raise NotImplementedError('Write edges_of_transposed: corr2d of the transposed diagonal image with EDGE_KERNEL.')


def edges_with_transposed_kernel(n: int) -> torch.Tensor:
    """The diagonal image with the kernel transposed, K.T = [[1], [-1]].

    Args:
        n: the image's size, n >= 2.

    Returns:
        corr2d(diagonal_edge_image(n), K.T), of shape (n - 1, n): each entry is a pixel minus the
        one below it.

    Example:
        >>> edges_with_transposed_kernel(4)
        tensor([[1., 0., 0., 0.],
                [0., 1., 0., 0.],
                [0., 0., 1., 0.]])
    """
    raise NotImplementedError('Write edges_with_transposed_kernel: corr2d of the diagonal image with EDGE_KERNEL.T.')
