import torch


def corr1d(x, k):
    h = k.shape[0]
    y = x.new_zeros(x.shape[0] - h + 1)
    for i in range(y.shape[0]):
        y[i] = (x[i : i + h] * k).sum()
    return y


def corr3d(X, K):
    w, h, d = K.shape  # read in the wrong order
    Y = X.new_zeros((X.shape[0] - d + 1, X.shape[1] - h + 1, X.shape[2] - w + 1))
    for a in range(Y.shape[0]):
        for i in range(Y.shape[1]):
            for j in range(Y.shape[2]):
                Y[a, i, j] = (X[a : a + d, i : i + h, j : j + w] * K).sum()
    return Y
