"""Hostile: corr2d defined in the else branch of the main guard: the branch that runs on import."""

import torch
import torch.nn.functional as F

if __name__ == "__main__":
    print("self-check")
else:

    def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
        return F.conv2d(X[None, None], K[None, None])[0, 0]
