import torch

from ex2_conv2d import Conv2D


def learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, num_epochs=10):
    """Train the layer written in exercise 2; it takes 2-D inputs, so nothing is reshaped."""
    layer = Conv2D(kernel_size).to(X.device)
    losses = []
    for _ in range(num_epochs):
        loss = ((layer(X) - Y) ** 2).sum()
        losses.append(loss.item())
        layer.zero_grad()
        loss.backward()
        with torch.no_grad():
            layer.weight -= lr * layer.weight.grad
    return layer.weight.detach().clone(), losses
