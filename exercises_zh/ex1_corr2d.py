"""练习 1：二维互相关运算。

卷积层让一个小的卷积核在输入上滑动，在每个位置上把卷积核与它覆盖的窗口按元素相乘再求和。
请亲手实现这一运算。
检查你的代码：python -m autograder check --exercise corr2d
"""

import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """X 与卷积核 K 的二维互相关运算，不加填充（"valid"）。

    参数：
        X: 输入，形状为 (n_h, n_w)。
        K: 卷积核，形状为 (k_h, k_w)。

    返回：
        Y，形状为 (n_h - k_h + 1, n_w - k_w + 1)，其中
        Y[i, j] 等于 X[i + a, j + b] * K[a, b] 对所有 a, b 的和。

    要求：
        - Y 的 dtype 与 X 相同，并且位于 X 所在的设备上。
        - Y 对 X 和 K 可微：只用张量运算进行计算
          （函数内不要使用 .item()、.tolist()、.numpy() 或 torch.tensor(...)）。
        - 用循环或切片实现。不允许使用 PyTorch 的卷积和 unfold 算子（F.conv2d、
          nn.Conv2d、unfold 等）：用到它们的解答得 0 分。

    示例：
        >>> X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
        >>> K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
        >>> corr2d(X, K)
        tensor([[19., 25.],
                [37., 43.]])
    """
    raise NotImplementedError('编写 corr2d：先分配输出，再在每个位置上填入 X 的一个窗口与 K 按元素相乘之和。')
