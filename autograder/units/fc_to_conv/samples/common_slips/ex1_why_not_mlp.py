def mlp_parameters(height, width, hidden, channels=1):
    # one weight per input and hidden unit
    return height * width * channels * hidden


def mlp_memory_gb(height, width, hidden, channels=1):
    weights_and_biases = height * width * channels * hidden + hidden
    return weights_and_biases * 4 / 2**30


def conv_parameters(kernel_size, in_channels=1, out_channels=1):
    return kernel_size * kernel_size * in_channels * out_channels + out_channels
