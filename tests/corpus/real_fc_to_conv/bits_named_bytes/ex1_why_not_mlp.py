def mlp_parameters(height, width, hidden, channels=1):
    return height * width * channels * hidden + hidden


def mlp_memory_gb(height, width, hidden, channels=1):
    # every value is a 32-bit float
    input_bytes = mlp_parameters(height, width, hidden, channels) * 32
    return input_bytes / 1e9


def conv_parameters(kernel_size, in_channels=1, out_channels=1):
    return (kernel_size * kernel_size * in_channels + 1) * out_channels
