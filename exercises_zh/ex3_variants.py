"""练习 3：一维和三维互相关运算。

思路与 corr2d 相同，只是沿一个轴（文本、语音、时间序列）或三个轴（视频、医学扫描图像）进行。
检查你的代码：python -m autograder check --exercise corr1d --exercise corr3d
"""

import torch


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    """x 与卷积核 k 的一维互相关运算，不加填充。

    参数：
        x: 输入，形状为 (n,)。
        k: 卷积核，形状为 (h,)。

    返回：
        y，形状为 (n - h + 1,)，其中 y[i] 等于 x[i + a] * k[a] 对所有 a 的和。

    要求：
        与 corr2d 相同：沿用 x 的 dtype 和设备，可微，只用循环或切片
        （不要使用 F.conv1d 或 unfold）。

    示例：
        >>> corr1d(torch.tensor([0.0, 1.0, 2.0, 3.0]), torch.tensor([1.0, 2.0]))
        tensor([2., 5., 8.])
    """
    raise NotImplementedError('编写 corr1d：corr2d 的一维版本。')


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """X 与卷积核 K 的三维互相关运算，不加填充。

    参数：
        X: 输入，形状为 (n_d, n_h, n_w)。
        K: 卷积核，形状为 (k_d, k_h, k_w)。

    返回：
        Y，形状为 (n_d - k_d + 1, n_h - k_h + 1, n_w - k_w + 1)，其中
        Y[d, i, j] 等于 X[d + c, i + a, j + b] * K[c, a, b] 对所有 c, a, b 的和。

    要求：
        与 corr2d 相同：沿用 X 的 dtype 和设备，可微，只用循环或切片
        （不要使用 F.conv3d 或 unfold）。
    """
    raise NotImplementedError('编写 corr3d：corr2d 的三维版本。')
