"""练习 2：卷积层。

该层含有一个可学习的卷积核（weight）和一个可学习的标量偏置（bias），
用你在练习 1 中写的 corr2d 计算 corr2d(x, weight) + bias。
检查你的代码：python -m autograder check --exercise Conv2D
"""

import torch
from ex1_corr2d import corr2d
from torch import nn


class Conv2D(nn.Module):
    """二维卷积层：与一个可学习的卷积核做互相关运算，再加上偏置。"""

    def __init__(self, kernel_size: tuple[int, int]) -> None:
        """创建该层的参数。

        参数：
            kernel_size: (k_h, k_w)，卷积核的形状。

        要求：
            - self.weight：形状为 kernel_size 的 nn.Parameter，在 [0, 1) 上均匀随机初始化
              （torch.rand）。
            - self.bias：形状为 (1,) 的 nn.Parameter，初始化为零。
        """
        super().__init__()
        raise NotImplementedError('把 self.weight 和 self.bias 创建为 nn.Parameter（见文档字符串）。')

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """把该层作用于形状为 (n_h, n_w) 的二维输入 x。

        返回：
            corr2d(x, self.weight) + self.bias，形状为 (n_h - k_h + 1, n_w - k_w + 1)。
            请使用你在练习 1 中写的 corr2d。
        """
        raise NotImplementedError('返回 corr2d(x, self.weight) + self.bias。')
