import torch
from torch import nn


def learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, num_epochs=10):
    """SGD with a little L2 regularisation on the kernel."""
    conv2d = nn.Conv2d(1, 1, kernel_size=kernel_size, bias=False).to(X.device)
    trainer = torch.optim.SGD(conv2d.parameters(), lr=lr, weight_decay=0.01)
    X = X.reshape((1, 1) + X.shape)
    Y = Y.reshape((1, 1) + Y.shape)
    losses = []
    for i in range(num_epochs):
        l = (conv2d(X) - Y) ** 2
        trainer.zero_grad()
        l.sum().backward()
        losses.append(l.sum().item())
        trainer.step()
    return conv2d.weight.detach().reshape(kernel_size), losses
