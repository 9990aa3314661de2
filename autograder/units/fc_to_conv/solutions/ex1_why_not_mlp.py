"""{module.ex1_why_not_mlp}"""


def mlp_parameters(height: int, width: int, hidden: int, channels: int = 1) -> int:
    """{doc.mlp_parameters}"""
    # BEGIN SOLUTION
    inputs = height * width * channels
    return inputs * hidden + hidden
    # END SOLUTION


def mlp_memory_gb(height: int, width: int, hidden: int, channels: int = 1) -> float:
    """{doc.mlp_memory_gb}"""
    # BEGIN SOLUTION
    bytes_per_float32 = 4
    return mlp_parameters(height, width, hidden, channels) * bytes_per_float32 / 1e9
    # END SOLUTION


def conv_parameters(kernel_size: int, in_channels: int = 1, out_channels: int = 1) -> int:
    """{doc.conv_parameters}"""
    # BEGIN SOLUTION
    return kernel_size * kernel_size * in_channels * out_channels + out_channels
    # END SOLUTION
