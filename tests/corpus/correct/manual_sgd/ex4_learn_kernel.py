import torch
from torch import nn


def learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, num_epochs=10):
    """The loop of the text with the gradient cleared by hand and float() for the losses."""
    conv2d = nn.Conv2d(1, 1, kernel_size=kernel_size, bias=False)
    conv2d = conv2d.to(X.device)
    X = X.reshape(1, 1, *X.shape)
    Y = Y.reshape(1, 1, *Y.shape)
    losses = []
    for epoch in range(num_epochs):
        Y_hat = conv2d(X)
        loss = ((Y_hat - Y) ** 2).sum()
        losses.append(float(loss))
        if conv2d.weight.grad is not None:
            conv2d.weight.grad.zero_()
        loss.backward()
        conv2d.weight.data[:] -= lr * conv2d.weight.grad
    return conv2d.weight.data.reshape(kernel_size).clone(), losses
