import torch


def corr2d(X, K):
    """Correct loops, with the window size read through eval: code the rule cannot read."""
    k_h, k_w = eval("K.shape")
    Y = torch.zeros((X.shape[0] - k_h + 1, X.shape[1] - k_w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + k_h, j : j + k_w] * K).sum()
    return Y
