import torch
from torch import nn


def learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, num_epochs=10):
    X = X.reshape((1, 1) + X.shape)
    Y = Y.reshape((1, 1) + Y.shape)
    net = nn.Conv2d(1, 1, kernel_size=kernel_size, bias=False)
    trainer = torch.optim.AdamW(net.parameters(), lr=0.1)
    loss = nn.MSELoss()
    losses = []
    for epoch in range(100):
        l = loss(net(X), Y)
        trainer.zero_grad()
        l.backward()
        trainer.step()
        losses.append(l.item())
        print(f"epoch: {epoch + 1}, loss: {l}")
    print(f"net.state_dict(): {net.state_dict()}")
    return net.weight.detach().reshape(kernel_size), losses
