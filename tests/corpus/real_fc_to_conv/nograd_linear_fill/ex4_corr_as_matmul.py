import torch
import torch.nn as nn


def range2d(to_a, to_b):
    for a in range(to_a):
        for b in range(to_b):
            yield a, b


@torch.no_grad()
def conv_to_linear(K, input_size):
    h, w = input_size
    k_h, k_w = K.shape
    out = (h - k_h + 1, w - k_w + 1)
    fc = nn.Linear(in_features=h * w, out_features=out[0] * out[1], bias=False)
    fc.weight.data.fill_(0.0)
    # every output position, every tap of the filter
    for xo, yo in range2d(out[0], out[1]):
        for xd, yd in range2d(k_h, k_w):
            xi, yi = xo + xd, yo + yd
            fc.weight[xo * out[1] + yo, xi * w + yi] = K[xd, yd]
    return fc


def correlation_matrix(K, input_shape):
    return conv_to_linear(K, input_shape).weight


def correlation_input_grad(K, input_shape, grad_output):
    fc = conv_to_linear(K, input_shape)
    return (fc.weight.T @ grad_output.reshape(-1)).reshape(input_shape)
