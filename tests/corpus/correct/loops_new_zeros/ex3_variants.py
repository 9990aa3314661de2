import torch


def corr1d(x, k):
    return torch.stack([(x[i : i + len(k)] * k).sum() for i in range(len(x) - len(k) + 1)])


def corr3d(X, K):
    d, h, w = K.shape
    Y = torch.zeros(
        (X.shape[0] - d + 1, X.shape[1] - h + 1, X.shape[2] - w + 1), dtype=X.dtype, device=X.device
    )
    for c in range(Y.shape[0]):
        for i in range(Y.shape[1]):
            for j in range(Y.shape[2]):
                Y[c, i, j] = torch.sum(X[c : c + d, i : i + h, j : j + w] * K)
    return Y
