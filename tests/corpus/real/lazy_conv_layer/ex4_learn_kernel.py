import torch
from torch import nn


def learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, num_epochs=10):
    # the lazy layer infers its input channels on the first call
    conv = nn.LazyConv2d(1, kernel_size=kernel_size, bias=False)
    X = X.reshape((1, 1) + X.shape)
    Y = Y.reshape((1, 1) + Y.shape)
    losses = []
    for _ in range(num_epochs):
        err = (conv(X) - Y) ** 2
        losses.append(float(err.sum()))
        conv.zero_grad()
        err.sum().backward()
        conv.weight.data[:] -= lr * conv.weight.grad
    return conv.weight.data.reshape(kernel_size), losses
