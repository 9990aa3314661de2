"""{module.ex3_strict_conv}"""

import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """{doc.given_corr2d}"""
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


def conv2d_strict(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """{doc.conv2d_strict}"""
    # BEGIN SOLUTION
    return corr2d(X, torch.flip(K, dims=(0, 1)))
    # END SOLUTION


def same_as_correlation(K: torch.Tensor) -> bool:
    """{doc.same_as_correlation}"""
    # BEGIN SOLUTION
    return bool(torch.equal(K, torch.flip(K, dims=(0, 1))))
    # END SOLUTION
