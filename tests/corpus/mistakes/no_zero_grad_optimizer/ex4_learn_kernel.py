import torch
from torch import nn


def learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, num_epochs=10):
    conv2d = nn.Conv2d(1, 1, kernel_size=kernel_size, bias=False).to(X.device)
    sgd = torch.optim.SGD(conv2d.parameters(), lr=lr)
    X = X.reshape((1, 1) + tuple(X.shape))
    Y = Y.reshape((1, 1) + tuple(Y.shape))
    losses = []
    for _ in range(num_epochs):
        loss = torch.sum((conv2d(X) - Y) ** 2)
        losses.append(loss.item())
        loss.backward()
        sgd.step()
    return conv2d.weight.detach().reshape(kernel_size), losses
