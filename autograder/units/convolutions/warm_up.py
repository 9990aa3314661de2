"""What the zygote runs once before it forks workers: the operations this unit's exercises run.

A loop's backward pulls in sympy, the first op on `meta` about 800 modules: paid once in the zygote
instead of in every worker. The zygote pins torch to one thread before calling this.
"""

import torch


def warm_up() -> None:
    for device in ("cpu", "meta"):
        X = torch.ones(3, 3, device=device, requires_grad=device == "cpu")
        K = torch.ones(2, 2, device=device)
        Y = torch.zeros((2, 2), dtype=X.dtype, device=device)
        for i in range(2):
            for j in range(2):
                Y[i, j] = (X[i : i + 2, j : j + 2] * K).sum()
        if device == "cpu":
            Y.backward(torch.ones(2, 2))
    layer = torch.nn.Conv2d(1, 1, (1, 2), bias=False)
    loss = (layer(torch.ones(1, 1, 2, 3)) ** 2).sum()
    layer.zero_grad()
    loss.backward()
    assert layer.weight.grad is not None
    with torch.no_grad():
        layer.weight -= 0.1 * layer.weight.grad
