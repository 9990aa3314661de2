"""{module.ex1_corr2d}"""

import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """{doc.corr2d}"""
    # BEGIN SOLUTION
    k_h, k_w = K.shape
    out_h = X.shape[0] - k_h + 1
    out_w = X.shape[1] - k_w + 1
    Y = torch.zeros((out_h, out_w), dtype=X.dtype, device=X.device)
    for i in range(out_h):
        for j in range(out_w):
            Y[i, j] = (X[i : i + k_h, j : j + k_w] * K).sum()
    return Y
    # END SOLUTION
