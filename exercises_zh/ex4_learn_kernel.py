"""练习 4：从数据中学习卷积核。

给定图像 X 和某个未知卷积核的输出 Y，像教材中那样用梯度下降把这个卷积核求出来。
检查你的代码：python -m autograder check --exercise learn_kernel
"""

import torch
from torch import nn


def learn_kernel(
    X: torch.Tensor,
    Y: torch.Tensor,
    kernel_size: tuple[int, int] = (1, 2),
    lr: float = 3e-2,
    num_epochs: int = 10,
) -> tuple[torch.Tensor, list[float]]:
    """用教材中的训练循环，学出把 X 变成 Y 的卷积核。

    参数：
        X: 输入图像，形状为 (n_h, n_w)。
        Y: 目标输出，形状为 (n_h - k_h + 1, n_w - k_w + 1)。
        kernel_size: (k_h, k_w)。
        lr: 学习率。
        num_epochs: 更新的次数（迭代周期数）。

    返回：
        (kernel, losses)：kernel 是学到的卷积核，一个形状为 kernel_size、已分离（detach）的张量；
        losses 是含 num_epochs 个 Python float 的列表，每个值是该轮更新之前的平方误差之和。

    要求：
        - 使用 nn.Conv2d(1, 1, kernel_size, bias=False)，它必须在其他任何抽取随机数的操作之前
          创建，并在 X 所在的设备上运行。
        - 在函数内部把 X 和 Y 的形状改为 (1, 1, h, w)。
        - 每一轮：计算平方误差之和，将梯度清零，反向传播，
          再手动更新权重：weight -= lr * grad。
    """
    raise NotImplementedError('写出教材中的训练循环，并返回 (kernel, losses)。')
