import torch


def corr1d(x, k):
    n = x.shape[0] - k.shape[0] + 1
    y = x.new_zeros(n)
    for i in range(n):
        y[i] = (x[i : i + k.shape[0]] * k).sum()
    return y


def corr3d(X, K):
    """The loop of the text with one more axis."""
    d, h, w = K.shape
    Y = torch.zeros((X.shape[0] - d + 1, X.shape[1] - h + 1, X.shape[2] - w + 1))
    for p in range(Y.shape[0]):
        for i in range(Y.shape[1]):
            for j in range(Y.shape[2]):
                Y[p, i, j] = (X[p : p + d, i : i + h, j : j + w] * K).sum()
    return Y
