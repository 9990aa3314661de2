import torch
from torch import nn


def learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, num_epochs=10):
    # 一个输入通道、一个输出通道、没有偏置的卷积层
    layer = nn.Conv2d(1, 1, kernel_size=kernel_size, bias=False)
    # batch and channel axes of size one in front
    X = X.reshape((1, 1) + tuple(X.shape))
    Y = Y.reshape((1, 1) + tuple(Y.shape))
    history = []
    for epoch in range(num_epochs):
        squared = (layer(X) - Y) ** 2
        history.append(squared.sum().item())
        layer.zero_grad()
        squared.sum().backward()
        # plain gradient step on the kernel
        layer.weight.data[:] -= lr * layer.weight.grad
        if (epoch + 1) % 2 == 0:
            print(f"epoch {epoch + 1}, loss {squared.sum():.3f}")
    print(layer.weight.data)
    return layer.weight.data.reshape(kernel_size), history
