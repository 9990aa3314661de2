"""{module.ex4_learn_kernel}"""

import torch
from torch import nn


def learn_kernel(
    X: torch.Tensor,
    Y: torch.Tensor,
    kernel_size: tuple[int, int] = (1, 2),
    lr: float = 3e-2,
    num_epochs: int = 10,
) -> tuple[torch.Tensor, list[float]]:
    """{doc.learn_kernel}"""
    # BEGIN SOLUTION
    conv2d = nn.Conv2d(1, 1, kernel_size=kernel_size, bias=False).to(X.device, X.dtype)
    X = X.reshape((1, 1, *tuple(X.shape)))
    Y = Y.reshape((1, 1, *tuple(Y.shape)))
    losses = []
    for _ in range(num_epochs):
        Y_hat = conv2d(X)
        loss = ((Y_hat - Y) ** 2).sum()
        losses.append(loss.item())
        conv2d.zero_grad()
        loss.backward()
        with torch.no_grad():
            conv2d.weight -= lr * conv2d.weight.grad
    return conv2d.weight.detach().reshape(kernel_size), losses
    # END SOLUTION
