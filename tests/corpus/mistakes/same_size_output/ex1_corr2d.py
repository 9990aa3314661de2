import torch


def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros_like(X)
    for i in range(X.shape[0] - h + 1):
        for j in range(X.shape[1] - w + 1):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y
