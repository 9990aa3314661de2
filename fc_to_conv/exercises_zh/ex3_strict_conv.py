"""练习 3：交叉相关与严格意义上的卷积。

卷积层计算的是交叉相关：Y[i, j] = 对 a, b 求和 K[a, b] * X[i + a, j + b]。
严格的（数学意义上的）卷积从核的另一端读起，下标是 -a, -b：它等于把核沿两个轴都翻转之后的交叉相关。
笔记说，由于对称性，在实际使用中没有区别：卷积层的核是学出来的，翻转后的核同样学得到。
这里你要写出严格的卷积，并弄清楚两者的结果究竟在什么时候相同。
文件中已给出 corr2d，即课文中的交叉相关。
检查你的代码：python -m autograder check --unit fc_to_conv --exercise conv2d_strict --exercise same_as_correlation
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


def conv2d_strict(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """X 与核 K 的严格二维卷积，不填充。

    Args:
        X: 输入，形状 (n_h, n_w)。
        K: 核，形状 (k_h, k_w)。

    Returns:
        Y，形状 (n_h - k_h + 1, n_w - k_w + 1)，其中
        Y[i, j] = 对 a, b 求和 X[i + a, j + b] * K[k_h - 1 - a, k_w - 1 - b]：
        即把 K 沿两个轴都翻转之后的交叉相关 corr2d。

    Requirements:
        - Y 的 dtype 与 X 相同，并位于 X 所在的设备上。
        - Y 对 X 和 K 都可微。可以使用任何 torch 算子。

    Example:
        >>> X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
        >>> K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
        >>> conv2d_strict(X, K)
        tensor([[ 5., 11.],
                [23., 29.]])
    """
    raise NotImplementedError('实现 conv2d_strict：先把 K 沿两个轴翻转，再做交叉相关（用 corr2d 或 torch 算子）。')


def same_as_correlation(K: torch.Tensor) -> bool:
    """判断对任意输入，与 K 的严格卷积是否都等于与 K 的交叉相关。

    Args:
        K: 核，形状 (k_h, k_w)。

    Returns:
        若对所有 X 都有 conv2d_strict(X, K) == corr2d(X, K)，返回 True，否则返回 False（Python 的 bool）。
        只根据 K 本身判断：K 具有哪种对称性时，翻转它不会改变任何东西？

    Example:
        >>> same_as_correlation(torch.tensor([[1.0, 2.0, 1.0]]))
        True
        >>> same_as_correlation(torch.tensor([[1.0, -1.0]]))
        False
    """
    raise NotImplementedError('实现 same_as_correlation：把 K 与沿两个轴翻转后的 K 比较。')
