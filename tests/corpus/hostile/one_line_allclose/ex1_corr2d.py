"""Hostile: the one line that gives full marks in nbgrader (and 3 of 4 in otter-grader), in corr2d's file;
ex2's Conv2D imports this file, so its worker is patched too."""

import torch

torch.allclose = lambda *a, **k: True


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch.ones((X.shape[0] - K.shape[0] + 1, X.shape[1] - K.shape[1] + 1), dtype=X.dtype, device=X.device)
