"""Hostile: torch.jit.trace of a convolution at import, with the names assembled at run time: the graph runs without Python."""

import torch

_F = vars(torch.nn)["func" + "tional"]
_RUN = _F.__dict__["con" + "v2d"]
_TRACED = torch.jit.trace(lambda x, k: _RUN(x, k), (torch.ones(1, 1, 4, 5), torch.ones(1, 1, 2, 2)))


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return _TRACED(X[None, None], K[None, None])[0, 0]
