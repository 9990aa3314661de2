import torch
from torch import nn


def learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, num_epochs=10):
    """The loop of the text, without zero_grad: the student forgot it."""
    conv2d = nn.Conv2d(1, 1, kernel_size=kernel_size, bias=False)
    X = X.reshape((1, 1) + X.shape)
    Y = Y.reshape((1, 1) + Y.shape)
    losses = []
    for i in range(num_epochs):
        Y_hat = conv2d(X)
        l = (Y_hat - Y) ** 2
        losses.append(l.sum().item())
        l.sum().backward()
        conv2d.weight.data[:] -= lr * conv2d.weight.grad
    return conv2d.weight.detach().reshape(kernel_size), losses
