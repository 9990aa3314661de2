"""Hostile: getattr(torch.ops.aten, 'convol' + 'ution'): a name no reading of the source can see."""

import torch

_OP = getattr(torch.ops.aten, "convol" + "ution")


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    out = _OP(X[None, None], K[None, None], None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1)
    return out[0, 0]
