"""Exercise 4: cross-correlation as a matrix multiplication.

One of the section's exercises: write cross-correlation as a matrix multiplication. Flatten X row by
row into a vector of n_h * n_w entries; corr2d(X, K), flattened the same way, is M @ x for one
matrix M made of K's entries and zeros. The transpose of M then carries a gradient back from the
output to the input.
Check your work with: python -m autograder check --unit fc_to_conv --exercise correlation_matrix --exercise correlation_input_grad
"""

import torch


def correlation_matrix(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    """The matrix M with M @ X.reshape(-1) == corr2d(X, K).reshape(-1), for every X.

    X and the output are flattened row by row (row-major, as reshape does): pixel (k, l) of X is
    entry k * n_w + l of the vector, and output (i, j) is row i * out_w + j of M.

    Args:
        K: the kernel, shape (k_h, k_w).
        input_shape: (n_h, n_w), the shape of X.

    Returns:
        M, shape (out_h * out_w, n_h * n_w) with out_h = n_h - k_h + 1 and out_w = n_w - k_w + 1,
        in K's dtype and on K's device, differentiable with respect to K.

    Example:
        >>> K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
        >>> M = correlation_matrix(K, (3, 3))
        >>> M
        tensor([[0., 1., 0., 2., 3., 0., 0., 0., 0.],
                [0., 0., 1., 0., 2., 3., 0., 0., 0.],
                [0., 0., 0., 0., 1., 0., 2., 3., 0.],
                [0., 0., 0., 0., 0., 1., 0., 2., 3.]])
        >>> (M @ torch.arange(9.0)).reshape(2, 2)
        tensor([[19., 25.],
                [37., 43.]])
    """
    raise NotImplementedError('Write correlation_matrix: a zero matrix of shape (out_h * out_w, n_h * n_w), then K[a, b] at row i * out_w + j, column (i + a) * n_w + (j + b).')


def correlation_input_grad(K: torch.Tensor, input_shape: tuple[int, int], grad_output: torch.Tensor) -> torch.Tensor:
    """The gradient of sum(corr2d(X, K) * grad_output) with respect to X, through M's transpose.

    corr2d is linear in X: y = M @ x. A gradient g on y reaches x as M.T @ g, and every pixel
    collects the kernel entries of the windows it took part in, weighted by their outputs' gradients.

    Args:
        K: the kernel, shape (k_h, k_w).
        input_shape: (n_h, n_w), the shape of X.
        grad_output: the gradient on the output, shape (out_h, out_w).

    Returns:
        The gradient for X, shape input_shape, in K's dtype and on K's device:
        M.T @ grad_output.reshape(-1), reshaped to input_shape.

    Example:
        >>> K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
        >>> correlation_input_grad(K, (3, 3), torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
        tensor([[ 0.,  1.,  2.],
                [ 2., 10., 10.],
                [ 6., 17., 12.]])
    """
    raise NotImplementedError('Write correlation_input_grad: M.T @ grad_output.reshape(-1), reshaped to input_shape.')
