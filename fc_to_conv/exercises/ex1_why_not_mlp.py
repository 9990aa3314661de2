"""Exercise 1: why not an MLP?

The notes start from a 36-megapixel photo: fed to a fully connected layer of only 100 hidden units,
it needs 36 million x 100 weights plus 100 biases, about 3.6 billion parameters, and at 4 bytes per
float32 about 14 GB, for one layer. A convolution's kernel does not grow with the image. Count both.
Check your work with: python -m autograder check --unit fc_to_conv --exercise mlp_parameters --exercise mlp_memory_gb --exercise conv_parameters
"""


def mlp_parameters(height: int, width: int, hidden: int, channels: int = 1) -> int:
    """The number of learnable parameters of one fully connected hidden layer on an image.

    Every value of the image (height x width pixels, channels values each) is an input, and every
    one of the hidden units has a weight for each input and one bias of its own. The notes' 36-megapixel
    photo and a 12-megapixel RGB photo both give 36 million inputs: 3.6 billion parameters for 100 units.

    Args:
        height: the image's height in pixels.
        width: the image's width in pixels.
        hidden: the number of hidden units.
        channels: values per pixel (1 for grey, 3 for RGB).

    Returns:
        The count, as a Python int: height * width * channels * hidden weights plus hidden biases.

    Example:
        >>> mlp_parameters(6000, 6000, 100)
        3600000100
        >>> mlp_parameters(3000, 4000, 100, channels=3)
        3600000100
    """
    raise NotImplementedError('Write mlp_parameters: one weight per (input value, hidden unit), plus one bias per hidden unit.')


def mlp_memory_gb(height: int, width: int, hidden: int, channels: int = 1) -> float:
    """The memory those parameters take in float32, in gigabytes.

    Args:
        height, width, hidden, channels: as for mlp_parameters.

    Returns:
        A Python float: the number of parameters times 4 bytes (one float32), in gigabytes of
        10**9 bytes (not GiB, which are 2**30 bytes).

    Example:
        >>> mlp_memory_gb(6000, 6000, 100)
        14.4000004
    """
    raise NotImplementedError('Write mlp_memory_gb: the parameter count times 4 bytes, divided by 10**9.')


def conv_parameters(kernel_size: int, in_channels: int = 1, out_channels: int = 1) -> int:
    """The number of learnable parameters of a convolution layer with a square kernel.

    Each pair of an input channel and an output channel has its own kernel_size x kernel_size
    kernel, and each output channel one bias. The image's size does not appear: the kernel slides
    over any image.

    Args:
        kernel_size: k, the kernel's height and width.
        in_channels: channels of the input.
        out_channels: channels of the output.

    Returns:
        The count, as a Python int: k * k * in_channels * out_channels weights plus out_channels biases.

    Example:
        >>> conv_parameters(3)
        10
        >>> conv_parameters(3, 3, 64)
        1792
    """
    raise NotImplementedError('Write conv_parameters: k * k weights per (input channel, output channel), plus one bias per output channel.')
