"""练习 4：把互相关写成矩阵乘法。

本节的练习之一：把互相关运算写成矩阵乘法。把 X 逐行展平成有 n_h * n_w 个元素的向量；
同样展平的 corr2d(X, K) 就是 M @ x，其中 M 是一个由 K 的元素和零组成的矩阵。
M 的转置则把梯度从输出传回输入。
检查你的代码：python -m autograder check --unit fc_to_conv --exercise correlation_matrix --exercise correlation_input_grad
"""

import torch


def correlation_matrix(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    """矩阵 M，使得对任意 X 都有 M @ X.reshape(-1) == corr2d(X, K).reshape(-1)。

    X 和输出都逐行展平（行优先，与 reshape 相同）：X 的像素 (k, l) 是向量的第 k * n_w + l 个元素，
    输出 (i, j) 是 M 的第 i * out_w + j 行。

    参数：
        K: 卷积核，形状为 (k_h, k_w)。
        input_shape: (n_h, n_w)，X 的形状。

    返回：
        M，形状为 (out_h * out_w, n_h * n_w)，其中 out_h = n_h - k_h + 1，out_w = n_w - k_w + 1；
        dtype 与 K 相同，位于 K 所在的设备上，并且对 K 可微。

    示例：
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
    raise NotImplementedError('请实现 correlation_matrix：先建一个形状为 (out_h * out_w, n_h * n_w) 的零矩阵，再把 K[a, b] 放在第 i * out_w + j 行、第 (i + a) * n_w + (j + b) 列。')


def correlation_input_grad(K: torch.Tensor, input_shape: tuple[int, int], grad_output: torch.Tensor) -> torch.Tensor:
    """sum(corr2d(X, K) * grad_output) 对 X 的梯度，通过 M 的转置计算。

    corr2d 对 X 是线性的：y = M @ x。输出上的梯度 g 以 M.T @ g 的形式传到 x：每个像素收集它所参与的
    每个窗口中对应的卷积核元素，并以该窗口输出的梯度加权。

    参数：
        K: 卷积核，形状为 (k_h, k_w)。
        input_shape: (n_h, n_w)，X 的形状。
        grad_output: 输出上的梯度，形状为 (out_h, out_w)。

    返回：
        X 的梯度，形状为 input_shape，dtype 与 K 相同，位于 K 所在的设备上：
        M.T @ grad_output.reshape(-1)，再变形为 input_shape。

    示例：
        >>> K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
        >>> correlation_input_grad(K, (3, 3), torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
        tensor([[ 0.,  1.,  2.],
                [ 2., 10., 10.],
                [ 6., 17., 12.]])
    """
    raise NotImplementedError('请实现 correlation_input_grad：M.T @ grad_output.reshape(-1)，再变形为 input_shape。')
