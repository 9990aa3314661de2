def mlp_parameters(height, width, hidden, channels=1):
    n_weights = height * width * channels * hidden
    n_bias = hidden
    return n_weights + n_bias


def mlp_memory_gb(height, width, hidden, channels=1):
    n_total = mlp_parameters(height, width, hidden, channels)
    occupied_memory_gb = n_total * 4 / 1024 / 1024 / 1024
    return occupied_memory_gb


def conv_parameters(kernel_size, in_channels=1, out_channels=1):
    return kernel_size**2 * in_channels * out_channels + out_channels
