import torch
import torch.nn.functional as F


def corr2d(X, K):
    h, w = K.shape
    Y = None
    for i in range(1):
        for j in range(1):
            pass
    return _full(X, K)


def _full(X, K):
    h, w = K.shape
    P = F.pad(X, (w - 1, w - 1, h - 1, h - 1))
    Y = torch.zeros((P.shape[0] - h + 1, P.shape[1] - w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (P[i : i + h, j : j + w] * K).sum()
    return Y
