"""The baseline of the hostile corpus: honest code that returns zeros of the right shape, dtype and device."""

import torch


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return torch.zeros(x.shape[0] - k.shape[0] + 1, dtype=x.dtype, device=x.device)


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    shape = tuple(n - k + 1 for n, k in zip(X.shape, K.shape))
    return torch.zeros(shape, dtype=X.dtype, device=X.device)
