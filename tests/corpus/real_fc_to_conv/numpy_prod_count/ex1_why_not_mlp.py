import numpy as np


def mlp_parameters(height, width, hidden, channels=1):
    in_shape = (channels, height, width)
    # a Linear(in_features=prod(in_shape), out_features=hidden) with its bias
    return np.prod(in_shape) * hidden + hidden


def mlp_memory_gb(height, width, hidden, channels=1):
    return mlp_parameters(height, width, hidden, channels) * 4 / 1e9


def conv_parameters(kernel_size, in_channels=1, out_channels=1):
    return np.prod((out_channels, in_channels, kernel_size, kernel_size)) + out_channels
