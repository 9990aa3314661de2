# a dense layer on the whole image: every hidden neuron sees every input value
# (e.g. 150*100 neurons on a 150x100 RGB image: 150**2 * 100**2 * 3 = 675 million)


def mlp_parameters(height, width, hidden, channels=1):
    return height * width * channels * hidden


def mlp_memory_gb(height, width, hidden, channels=1):
    # 32-bit floats, SI units: 1 GB = 1000**3 bytes = 8 * 1000**3 bits
    bits = mlp_parameters(height, width, hidden, channels) * 32
    return bits / (8 * 1000**3)


def conv_parameters(kernel_size, in_channels=1, out_channels=1):
    # (5 x 5 x 3 + 1) x 200: the +1 is each map's bias
    return (kernel_size * kernel_size * in_channels + 1) * out_channels
