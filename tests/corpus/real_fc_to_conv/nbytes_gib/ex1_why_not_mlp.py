import numpy as np


def mlp_parameters(height, width, hidden, channels=1):
    return height * width * channels * hidden + hidden


def mlp_memory_gb(height, width, hidden, channels=1):
    # bytes of one stored value, as NumPy stores it
    per_value = np.zeros(1).nbytes
    return mlp_parameters(height, width, hidden, channels) * per_value / 1024 / 1024 / 1024  # GB


def conv_parameters(kernel_size, in_channels=1, out_channels=1):
    return kernel_size * kernel_size * in_channels * out_channels + out_channels
