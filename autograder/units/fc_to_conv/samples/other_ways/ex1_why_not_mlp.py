import math


def mlp_parameters(height, width, hidden, channels=1):
    layer_in = math.prod((height, width, channels))
    return (layer_in + 1) * hidden


def mlp_memory_gb(height, width, hidden, channels=1):
    return 4 * mlp_parameters(height, width, hidden, channels) / 10**9


def conv_parameters(kernel_size, in_channels=1, out_channels=1):
    return out_channels * (in_channels * kernel_size**2 + 1)
