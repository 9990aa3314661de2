"""练习 6：对角线边缘上的边缘检测核。

课文用核 K = [[1, -1]] 检测竖直边缘。图像的边缘沿对角线时它检测到什么？图像转置后呢？K 转置后呢？
检查你的答案：python -m autograder check --unit fc_to_conv --exercise diagonal_edge_image --exercise edges_of_diagonal --exercise edges_of_transposed --exercise edges_with_transposed_kernel
"""

import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """X 与卷积核 K 的二维互相关，与课文中相同（已给出，不评分）。

    Y[i, j] = 对 a, b 求和 X[i + a, j + b] * K[a, b]，形状为 (n_h - k_h + 1, n_w - k_w + 1)，
    dtype 与 X 相同，位于 X 所在的设备上。
    """
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


EDGE_KERNEL = torch.tensor([[1.0, -1.0]])
"""课文的边缘检测核 K = [[1, -1]]：corr2d(X, K) 的每个输出是一个像素减去它右边的像素，
一行从 1 变为 0 处为 1，从 0 变为 1 处为 -1。
"""


def diagonal_edge_image(n: int) -> torch.Tensor:
    """一张 n x n 的图像，边缘沿主对角线。

    Args:
        n: 图像的高和宽。

    Returns:
        形状为 (n, n) 的 float32 张量：主对角线上及其上方（列 j >= 行 i）为 1.0，下方为 0.0。

    Example:
        >>> diagonal_edge_image(4)
        tensor([[1., 1., 1., 1.],
                [0., 1., 1., 1.],
                [0., 0., 1., 1.],
                [0., 0., 0., 1.]])
    """
    raise NotImplementedError('实现 diagonal_edge_image：n x n 的 float32 张量，j >= i 处为 1.0，下方为 0.0。')


def edges_of_diagonal(n: int) -> torch.Tensor:
    """课文的边缘检测核 K = EDGE_KERNEL = [[1, -1]] 作用在对角线图像上。

    Args:
        n: 图像大小，n >= 2。

    Returns:
        corr2d(diagonal_edge_image(n), K)，形状为 (n, n - 1)。每个元素是一个像素减去它右边的像素：
        哪里不为 0，符号是什么？

    Example:
        >>> edges_of_diagonal(4)
        tensor([[ 0.,  0.,  0.],
                [-1.,  0.,  0.],
                [ 0., -1.,  0.],
                [ 0.,  0., -1.]])
    """
    raise NotImplementedError('实现 edges_of_diagonal：对角线图像与 EDGE_KERNEL 的 corr2d。')


def edges_of_transposed(n: int) -> torch.Tensor:
    """同一个核 K = [[1, -1]] 作用在转置后的对角线图像上。

    Args:
        n: 图像大小，n >= 2。

    Returns:
        corr2d(diagonal_edge_image(n).T, K)，形状为 (n, n - 1)。

    Example:
        >>> edges_of_transposed(4)
        tensor([[1., 0., 0.],
                [0., 1., 0.],
                [0., 0., 1.],
                [0., 0., 0.]])
    """
    raise NotImplementedError('实现 edges_of_transposed：转置后的对角线图像与 EDGE_KERNEL 的 corr2d。')


def edges_with_transposed_kernel(n: int) -> torch.Tensor:
    """对角线图像与转置后的核 K.T = [[1], [-1]]。

    Args:
        n: 图像大小，n >= 2。

    Returns:
        corr2d(diagonal_edge_image(n), K.T)，形状为 (n - 1, n)：每个元素是一个像素减去它下方的像素。

    Example:
        >>> edges_with_transposed_kernel(4)
        tensor([[1., 0., 0., 0.],
                [0., 1., 0., 0.],
                [0., 0., 1., 0.]])
    """
    raise NotImplementedError('实现 edges_with_transposed_kernel：对角线图像与 EDGE_KERNEL.T 的 corr2d。')
