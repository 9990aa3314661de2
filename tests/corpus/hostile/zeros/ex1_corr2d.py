"""The baseline of the hostile corpus: honest code that returns zeros of the right shape, dtype and device."""

import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch.zeros((X.shape[0] - K.shape[0] + 1, X.shape[1] - K.shape[1] + 1), dtype=X.dtype, device=X.device)
