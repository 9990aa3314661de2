import torch
from torch import nn


def learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, num_epochs=10):
    """torch.optim.SGD without momentum takes exactly the step of the text."""
    conv2d = nn.Conv2d(1, 1, kernel_size=kernel_size, bias=False).to(X.device)
    optimizer = torch.optim.SGD(conv2d.parameters(), lr=lr)
    inputs, targets = X[None, None], Y[None, None]
    losses = []
    for _ in range(num_epochs):
        optimizer.zero_grad()
        loss = ((conv2d(inputs) - targets) ** 2).sum()
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    return conv2d.weight.detach()[0, 0], losses
