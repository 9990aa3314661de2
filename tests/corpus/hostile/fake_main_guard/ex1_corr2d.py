"""Hostile: sets __name__ to '__main__' so that corr2d, defined under the main guard, looks like test code."""

import torch
import torch.nn.functional as F

__name__ = "__main__"

if __name__ == "__main__":

    def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
        return F.conv2d(X[None, None], K[None, None])[0, 0]
