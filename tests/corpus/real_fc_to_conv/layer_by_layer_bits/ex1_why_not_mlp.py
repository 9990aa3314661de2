# parameters layer by layer, then the memory worked out in bits first and converted


def mlp_parameters(height, width, hidden, channels=1):
    inputs = height * width * channels
    return inputs * hidden + hidden


def mlp_memory_gb(height, width, hidden, channels=1):
    n = mlp_parameters(height, width, hidden, channels)
    bits = n * 32          # float32
    n_bytes = bits / 8
    return n_bytes / 1000 / 1000 / 1000


def conv_parameters(kernel_size, in_channels=1, out_channels=1):
    # (k x k x c_in + 1) per output map
    return (kernel_size * kernel_size * in_channels + 1) * out_channels
