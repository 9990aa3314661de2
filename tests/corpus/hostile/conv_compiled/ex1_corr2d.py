"""Hostile: torch.compile around the convolution, called through a name assembled at run time."""

import torch

_RUN = torch.compile(vars(torch.nn.functional)["conv" + "2d"], backend="eager")


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return _RUN(X[None, None], K[None, None])[0, 0]
