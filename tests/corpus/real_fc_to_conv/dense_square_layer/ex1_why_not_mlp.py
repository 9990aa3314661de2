# memory of a dense layer: its weights, its biases, and its outputs


def dense_memory(n_in, n_out):
    return n_in * n_out + 2 * n_out


def mlp_parameters(height, width, hidden, channels=1):
    n_in = channels * height * width
    return dense_memory(n_in, hidden)


def mlp_memory_gb(height, width, hidden, channels=1):
    return mlp_parameters(height, width, hidden, channels) * 4 / 10**9


def conv_parameters(kernel_size, in_channels=1, out_channels=1):
    return out_channels * (in_channels * kernel_size * kernel_size + 1)
