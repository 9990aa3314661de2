import torch
from torch import nn


def learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, num_epochs=10):
    conv = nn.Conv2d(1, 1, kernel_size=kernel_size, bias=False).to(X.device)
    optimizer = torch.optim.SGD(conv.parameters(), lr=lr)
    X = X.reshape(1, 1, *X.shape)
    Y = Y.reshape(1, 1, *Y.shape)
    losses = []
    for epoch in range(num_epochs):
        loss = ((conv(X) - Y) ** 2).sum()
        losses.append(loss.item())
        loss.backward()
        optimizer.zero_grad()  # clear the old gradient before stepping
        optimizer.step()
    return conv.weight.detach().reshape(kernel_size), losses
