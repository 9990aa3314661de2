"""What the zygote runs once before it forks workers: the operations this unit's exercises run.

A loop's backward and a layer's training step load their own modules: paid once in the zygote instead
of in every worker. The backward is the worker's own (autograder.backprop). What the `meta` checks
load, the zygote loads when it is first idle (autograder.torch_imports.warm_up_meta). The zygote pins
torch to one thread before calling this.
"""

import torch

from autograder.backprop import backward_with


def warm_up() -> None:
    X = torch.ones(3, 3, requires_grad=True)
    K = torch.ones(2, 2)
    Y = torch.zeros((2, 2), dtype=X.dtype)
    for i in range(2):
        for j in range(2):
            Y[i, j] = (X[i : i + 2, j : j + 2] * K).sum()
    backward_with(Y, torch.ones(2, 2))
    layer = torch.nn.Conv2d(1, 1, (1, 2), bias=False)
    loss = (layer(torch.ones(1, 1, 2, 3)) ** 2).sum()
    layer.zero_grad()
    loss.backward()
    assert layer.weight.grad is not None
    with torch.no_grad():
        layer.weight -= 0.1 * layer.weight.grad
