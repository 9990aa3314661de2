import torch


def corr1d(x, k):
    n = x.shape[0] - k.shape[0] + 1
    y = torch.zeros(n, dtype=x.dtype, device=x.device).requires_grad_()
    for i in range(n):
        y[i] = (x[i : i + k.shape[0]] * k).sum()
    return y


def corr3d(X, K):
    d, h, w = K.shape
    Y = X.new_zeros((X.shape[0] - d + 1, X.shape[1] - h + 1, X.shape[2] - w + 1))
    for a in range(Y.shape[0]):
        for i in range(Y.shape[1]):
            for j in range(Y.shape[2]):
                Y[a, i, j] = (X[a : a + d, i : i + h, j : j + w] * K).sum()
    return Y
