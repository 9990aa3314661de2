"""Exercise 5: design some kernels by hand.

The section's exercise: before a layer learns its kernels, design some yourself. A kernel is right
here when it does what it should: an edge kernel gives 0 where the image does not change across
the edge's direction, a derivative kernel gives 0 on polynomials of lower degree, a blur keeps the
brightness. Many kernels are right, and each one is checked by these properties, not against one
array.
Check your work with: python -m autograder check --unit fc_to_conv --exercise NAME
(NAME: edge_kernel, second_derivative_kernel, laplace_kernel, blur_kernel or derivative_kernel).
"""

import math

import torch


def edge_kernel(v: tuple[float, float]) -> torch.Tensor:
    """A kernel that finds edges orthogonal to the direction v.

    Args:
        v: (v0, v1), a non-zero direction in the tensor's axes: v0 along the rows (first index),
            v1 along the columns (second index).

    Returns:
        A 2-D kernel of at most 5 x 5 whose corr2d response is
        - 0 on every image that is constant along v (its edges run along v), for v an axis or a
          diagonal at any scale; for other v at least on linear ramps constant along v;
        - not 0 on an image that changes along v (a step whose edge runs across v).

    Example:
        An image that changes along the columns only is constant along v = (1, 0), so the response is 0:

        >>> X = torch.zeros(6, 6); X[:, 3:] = 1.0
        >>> corr2d(X, edge_kernel((1.0, 0.0))).abs().max()
        tensor(0.)
    """
    raise NotImplementedError('Write edge_kernel: combine a difference along the rows and one along the columns, weighted by v.')


def second_derivative_kernel() -> torch.Tensor:
    """A kernel of the second derivative along the columns.

    Returns:
        A kernel of shape (1, m) whose corr2d, on an image whose rows sample a polynomial p(x) at
        consecutive x (x = the column index), is p'' there: 0 on polynomials of degree 0 and 1, and
        the constant 2 on x**2.

    Example:
        >>> X = (torch.arange(6.0) ** 2).expand(2, 6)
        >>> corr2d(X, second_derivative_kernel())[0, 0]
        tensor(2.)
    """
    raise NotImplementedError('Return a (1, m) kernel of the second derivative along the columns.')


def laplace_kernel() -> torch.Tensor:
    """A kernel of the Laplace operator d2/dx2 + d2/dy2.

    Returns:
        A square kernel of odd size at most 5 whose corr2d, on an image sampling a quadratic p(x, y)
        (x = the row index, y = the column index), is the constant Laplacian of p: 4 on x**2 + y**2,
        0 on x*y and on linear functions.

    Example:
        >>> i, j = torch.meshgrid(torch.arange(6.0), torch.arange(6.0), indexing="ij")
        >>> corr2d(i**2 + j**2, laplace_kernel())[0, 0]
        tensor(4.)
    """
    raise NotImplementedError('Return a square kernel of the Laplacian: second differences along both axes.')


def blur_kernel(size: int) -> torch.Tensor:
    """A blurring kernel of shape (size, size).

    Args:
        size: the side of the kernel, at least 2.

    Returns:
        A float32 kernel of shape (size, size) with non-negative entries that sum to 1 (an average:
        a flat image keeps its brightness), and no entry holding all the weight (it blurs).

    Example:
        >>> K = blur_kernel(3)
        >>> K.shape, round(float(K.sum()), 6)
        (torch.Size([3, 3]), 1.0)
    """
    raise NotImplementedError('Return a (size, size) float32 kernel of non-negative weights that sum to 1.')


def derivative_kernel(d: int) -> torch.Tensor:
    """The smallest kernel of the d-th derivative along the columns.

    Args:
        d: the order of the derivative, at least 1.

    Returns:
        A kernel of shape (1, d + 1) whose corr2d, on an image whose rows sample a polynomial p(x)
        at consecutive x (x = the column index), is 0 for every p of degree below d and the
        constant d! on x**d. The sign matters: the text's edge kernel [[1, -1]] gives -1 on x,
        minus the first derivative.

    Example:
        >>> X = torch.arange(5.0).expand(2, 5)
        >>> corr2d(X, derivative_kernel(1))[0]
        tensor([1., 1., 1., 1.])
    """
    raise NotImplementedError('Return the (1, d + 1) kernel of the d-th difference along the columns, with the sign of the derivative.')
