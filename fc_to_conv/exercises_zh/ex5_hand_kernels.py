"""练习 5：手工设计一些卷积核。

这是本节的练习：在卷积层学习核之前，先自己设计几个。这里判断一个核对不对，看的是它做了该做的事：
边缘核在图像沿边缘法向不变的地方输出 0，导数核在低次多项式上输出 0，模糊核保持图像的亮度。
正确的核有很多，每个核都按这些性质检查，而不是与某一个数组比较。
检查你的代码：python -m autograder check --unit fc_to_conv --exercise NAME
（NAME：edge_kernel、second_derivative_kernel、laplace_kernel、blur_kernel 或 derivative_kernel）。
"""

import math

import torch


def edge_kernel(v: tuple[float, float]) -> torch.Tensor:
    """检测与方向 v 正交的边缘的核。

    Args:
        v: (v0, v1)，张量坐标轴中的非零方向：v0 沿行（第一个下标），v1 沿列（第二个下标）。

    Returns:
        一个最大 5 x 5 的二维核，它的 corr2d 响应
        - 在每个沿 v 不变的图像（其边缘沿 v 延伸）上为 0：v 为坐标轴或对角线方向（任意缩放）时对任意这样的图像成立；
          其他方向的 v 至少在沿 v 不变的线性斜坡上成立；
        - 在沿 v 变化的图像（边缘横穿 v 的阶跃）上不为 0。

    Example:
        只沿列变化的图像沿 v = (1, 0) 不变，所以响应为 0：

        >>> X = torch.zeros(6, 6); X[:, 3:] = 1.0
        >>> corr2d(X, edge_kernel((1.0, 0.0))).abs().max()
        tensor(0.)
    """
    raise NotImplementedError('实现 edge_kernel：把沿行的差分和沿列的差分按 v 加权组合。')


def second_derivative_kernel() -> torch.Tensor:
    """沿列方向的二阶导数核。

    Returns:
        形状为 (1, m) 的核。若图像的每一行是多项式 p(x) 在连续的 x 处的采样（x = 列下标），
        它的 corr2d 就是该处的 p''：在 0 次和 1 次多项式上为 0，在 x**2 上为常数 2。

    Example:
        >>> X = (torch.arange(6.0) ** 2).expand(2, 6)
        >>> corr2d(X, second_derivative_kernel())[0, 0]
        tensor(2.)
    """
    raise NotImplementedError('返回一个沿列方向二阶导数的 (1, m) 核。')


def laplace_kernel() -> torch.Tensor:
    """拉普拉斯算子 d2/dx2 + d2/dy2 的核。

    Returns:
        边长为奇数且不超过 5 的方形核。在对二次多项式 p(x, y) 采样的图像上（x = 行下标，y = 列下标），
        它的 corr2d 是 p 的拉普拉斯（一个常数）：在 x**2 + y**2 上为 4，在 x*y 和线性函数上为 0。

    Example:
        >>> i, j = torch.meshgrid(torch.arange(6.0), torch.arange(6.0), indexing="ij")
        >>> corr2d(i**2 + j**2, laplace_kernel())[0, 0]
        tensor(4.)
    """
    raise NotImplementedError('返回拉普拉斯的方形核：两个轴上的二阶差分之和。')


def blur_kernel(size: int) -> torch.Tensor:
    """形状为 (size, size) 的模糊核。

    Args:
        size: 核的边长，至少为 2。

    Returns:
        形状为 (size, size) 的 float32 核，元素非负且总和为 1（一种平均：平坦的图像亮度不变），
        并且没有哪个元素独占全部权重（这样才会模糊）。

    Example:
        >>> K = blur_kernel(3)
        >>> K.shape, round(float(K.sum()), 6)
        (torch.Size([3, 3]), 1.0)
    """
    raise NotImplementedError('返回一个 (size, size) 的 float32 核，权重非负且总和为 1。')


def derivative_kernel(d: int) -> torch.Tensor:
    """沿列方向 d 阶导数的最小核。

    Args:
        d: 导数的阶数，至少为 1。

    Returns:
        形状为 (1, d + 1) 的核。若图像的每一行是多项式 p(x) 在连续的 x 处的采样（x = 列下标），
        它的 corr2d 对每个次数低于 d 的 p 为 0，在 x**d 上为常数 d!。
        符号很重要：课文中的边缘核 [[1, -1]] 在 x 上给出 -1，是一阶导数的相反数。

    Example:
        >>> X = torch.arange(5.0).expand(2, 5)
        >>> corr2d(X, derivative_kernel(1))[0]
        tensor([1., 1., 1., 1.])
    """
    raise NotImplementedError('返回沿列方向 d 阶差分的 (1, d + 1) 核，符号与导数一致。')
