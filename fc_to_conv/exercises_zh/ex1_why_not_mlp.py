"""练习 1：为什么不用 MLP？

笔记从一张 3600 万像素的照片讲起：把它送进只有 100 个隐藏单元的全连接层，需要 3600 万 × 100 个权重
再加 100 个偏置，约 36 亿个参数；每个 float32 占 4 字节，一层就约 14 GB。卷积核却不随图像变大。两者都来数一数。
检查你的答案：python -m autograder check --unit fc_to_conv --exercise mlp_parameters --exercise mlp_memory_gb --exercise conv_parameters
"""


def mlp_parameters(height: int, width: int, hidden: int, channels: int = 1) -> int:
    """图像上一个全连接隐藏层的可学习参数个数。

    图像（height x width 个像素，每个像素 channels 个值）的每个值都是一个输入；每个隐藏单元
    对每个输入有一个权重，另有一个自己的偏置。笔记中 3600 万像素的照片和 1200 万像素的 RGB 照片
    都给出 3600 万个输入：100 个单元就是 36 亿个参数。

    Args:
        height: 图像的高（像素）。
        width: 图像的宽（像素）。
        hidden: 隐藏单元个数。
        channels: 每个像素的值的个数（灰度图为 1，RGB 为 3）。

    Returns:
        参数个数，Python int：height * width * channels * hidden 个权重加上 hidden 个偏置。

    Example:
        >>> mlp_parameters(6000, 6000, 100)
        3600000100
        >>> mlp_parameters(3000, 4000, 100, channels=3)
        3600000100
    """
    raise NotImplementedError('实现 mlp_parameters：每一对（输入值，隐藏单元）一个权重，再加上每个隐藏单元一个偏置。')


def mlp_memory_gb(height: int, width: int, hidden: int, channels: int = 1) -> float:
    """这些参数以 float32 存储时占用的内存，单位为 GB。

    Args:
        height, width, hidden, channels: 与 mlp_parameters 相同。

    Returns:
        Python float：参数个数乘以 4 字节（一个 float32），换算成 GB，1 GB = 10**9 字节
        （不是 GiB，1 GiB = 2**30 字节）。

    Example:
        >>> mlp_memory_gb(6000, 6000, 100)
        14.4000004
    """
    raise NotImplementedError('实现 mlp_memory_gb：参数个数乘以 4 字节，再除以 10**9。')


def conv_parameters(kernel_size: int, in_channels: int = 1, out_channels: int = 1) -> int:
    """使用正方形卷积核的卷积层的可学习参数个数。

    每一对（输入通道，输出通道）有自己的 kernel_size x kernel_size 卷积核，每个输出通道有一个偏置。
    图像大小不出现在这里：卷积核在任意大小的图像上滑动。

    Args:
        kernel_size: k，卷积核的高和宽。
        in_channels: 输入通道数。
        out_channels: 输出通道数。

    Returns:
        参数个数，Python int：k * k * in_channels * out_channels 个权重加上 out_channels 个偏置。

    Example:
        >>> conv_parameters(3)
        10
        >>> conv_parameters(3, 3, 64)
        1792
    """
    raise NotImplementedError('实现 conv_parameters：每一对（输入通道，输出通道）k * k 个权重，再加上每个输出通道一个偏置。')
