import torch


def corr1d(x, k):
    (h,) = k.shape
    y = torch.zeros_like(x[: x.shape[0] - h + 1])
    for a in range(h):
        y = y + x[a : a + y.shape[0]] * k[a]
    return y


def corr3d(X, K):
    return sum(
        X[c : c + X.shape[0] - K.shape[0] + 1, a : a + X.shape[1] - K.shape[1] + 1, b : b + X.shape[2] - K.shape[2] + 1]
        * K[c, a, b]
        for c in range(K.shape[0])
        for a in range(K.shape[1])
        for b in range(K.shape[2])
    )
