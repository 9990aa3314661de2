"""{module.ex3_variants}"""

import torch


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    """{doc.corr1d}"""
    # BEGIN SOLUTION
    (h,) = k.shape
    y = torch.zeros(x.shape[0] - h + 1, dtype=x.dtype, device=x.device)
    for i in range(y.shape[0]):
        y[i] = (x[i : i + h] * k).sum()
    return y
    # END SOLUTION


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """{doc.corr3d}"""
    # BEGIN SOLUTION
    k_d, k_h, k_w = K.shape
    out_shape = (X.shape[0] - k_d + 1, X.shape[1] - k_h + 1, X.shape[2] - k_w + 1)
    Y = torch.zeros(out_shape, dtype=X.dtype, device=X.device)
    for d in range(out_shape[0]):
        for i in range(out_shape[1]):
            for j in range(out_shape[2]):
                Y[d, i, j] = (X[d : d + k_d, i : i + k_h, j : j + k_w] * K).sum()
    return Y
    # END SOLUTION
