import torch
from torch import nn


def learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, num_epochs=10):
    conv2d = nn.Conv2d(1, 1, kernel_size=kernel_size, bias=False).to(X.device)
    X = X.reshape((1, 1) + X.shape)
    Y = Y.reshape((1, 1) + Y.shape)
    losses = []
    for i in range(10):
        l = (conv2d(X) - Y) ** 2
        losses.append(l.sum().item())
        conv2d.zero_grad()
        l.sum().backward()
        conv2d.weight.data[:] -= lr * conv2d.weight.grad
        if (i + 1) % 2 == 0:
            print(f"epoch {i + 1}, loss {l.sum():.3f}")
    return conv2d.weight.data.reshape(kernel_size), losses
