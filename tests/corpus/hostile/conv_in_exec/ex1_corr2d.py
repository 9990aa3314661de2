"""Hostile: corr2d defined by exec of a string assembled at run time (the convolution's name never appears whole)."""

import torch

_CODE = "def corr2d(X, K):\n    return torch.nn.functional." + "con" + "v2d" + "(X[None, None], K[None, None])[0, 0]\n"
exec(_CODE)
