"""Hostile: corr1d through torch.nn.functional.__dict__, corr3d through torch.ops.aten.convolution with a computed name."""

import torch
import torch.nn.functional as F


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return F.__dict__["conv" + "1d"](x[None, None], k[None, None])[0, 0]


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    op = torch.ops.aten.__getattr__("convol" + "ution")
    return op(X[None, None], K[None, None], None, [1, 1, 1], [0, 0, 0], [1, 1, 1], False, [0, 0, 0], 1)[0, 0]
