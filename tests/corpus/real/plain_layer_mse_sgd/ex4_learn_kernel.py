import torch
import torch.nn as nn
from torch import optim


def _correlate(x, k):
    rows, cols = x.shape
    kr, kc = k.shape
    out = torch.zeros(rows - kr + 1, cols - kc + 1)
    for i in range(rows - kr + 1):
        for j in range(cols - kc + 1):
            out[i, j] = (x[i : i + kr, j : j + kc] * k).sum()
    return out


class TinyConv(nn.Module):
    def __init__(self, size: tuple) -> None:
        super().__init__()
        h, w = size
        self.weight = torch.normal(0, 0.001, (h, w), requires_grad=True)
        self.bias = torch.zeros(1, requires_grad=True)

    def forward(self, x):
        return _correlate(x, self.weight) + self.bias


def learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, num_epochs=10):
    layer = TinyConv(kernel_size)
    criterion = nn.MSELoss()
    optimizer = optim.SGD([layer.weight, layer.bias], lr=lr)
    losses = []
    for _ in range(num_epochs):
        loss = criterion(layer(X), Y)
        losses.append(loss.item())
        loss.backward()
        print(loss)
        optimizer.step()
        optimizer.zero_grad()
        layer.zero_grad()
    return layer.weight.detach(), losses
