"""Hostile: the dispatch mode switched off around the convolution, through names assembled at run time."""

import torch

_C = vars(torch)["_" + "C"]
_OFF = vars(_C)["_Disable" + "TorchDispatch"]
_OP = torch.ops.aten.__getattr__("convol" + "ution")


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    with _OFF():
        out = _OP(X[None, None], K[None, None], None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1)
    return out[0, 0]
