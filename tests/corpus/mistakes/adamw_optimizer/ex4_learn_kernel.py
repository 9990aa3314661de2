import torch
from torch import nn, optim


def learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, num_epochs=10):
    """AdamW, as in the training scripts I usually write."""
    model = nn.Conv2d(1, 1, kernel_size, bias=False).to(X.device)
    opt = optim.AdamW(model.parameters(), lr=lr)
    x = X.view(1, 1, *X.shape)
    y = Y.view(1, 1, *Y.shape)
    history = []
    for step in range(num_epochs):
        err = model(x) - y
        loss = (err * err).sum()
        history.append(float(loss))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model.weight.detach().view(kernel_size), history
