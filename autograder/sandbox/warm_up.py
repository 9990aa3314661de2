"""The warm-up the fork server runs today before it serves: what grading the convolution exercises runs.

A unit's grading loads modules that torch imports lazily; loading them once in the fork server
instead of in every worker is what keeps a worker's start cheap. `Zygote.start` takes any warm-up;
this one is its default.
"""

from __future__ import annotations


def warm_up() -> None:
    """Run, once, what grading runs, so that the modules torch loads lazily are loaded here.

    A loop's backward pulls in sympy, the first op on `meta` about 800 modules: paid once in the
    zygote instead of in every worker. The zygote pins torch to one thread before calling it.
    """
    import torch

    for device in ("cpu", "meta"):
        X = torch.ones(3, 3, device=device, requires_grad=device == "cpu")
        K = torch.ones(2, 2, device=device)
        Y = torch.zeros((2, 2), dtype=X.dtype, device=device)
        for i in range(2):
            for j in range(2):
                Y[i, j] = (X[i : i + 2, j : j + 2] * K).sum()
        if device == "cpu":
            torch.autograd.backward(Y, torch.ones(2, 2))
    layer = torch.nn.Conv2d(1, 1, (1, 2), bias=False)
    loss = (layer(torch.ones(1, 1, 2, 3)) ** 2).sum()
    layer.zero_grad()
    torch.autograd.backward(loss)
    with torch.no_grad():
        grad = layer.weight.grad
        assert grad is not None  # the backward above filled it
        layer.weight -= 0.1 * grad
