import torch


def corr1d(X, K):
    width = K.shape[0]
    Y = torch.zeros((X.shape[0] - width + 1))
    for i in range(Y.shape[0]):
        Y[i] = (X[i : i + width] * K).sum()
    return Y


def corr3d(X, K):
    kd, kh, kw = K.shape
    shape = (X.shape[0] - kd + 1, X.shape[1] - kh + 1, X.shape[2] - kw + 1)
    Y = X.new_zeros(shape)
    for d in range(shape[0]):
        for i in range(shape[1]):
            for j in range(shape[2]):
                Y[d, i, j] = (X[d : d + kd, i : i + kh, j : j + kw] * K).sum()
    return Y
