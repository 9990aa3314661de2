import torch


def corr2d(X, K):
    k_h, k_w = K.shape
    rows = X.shape[0] - k_h + 1
    cols = X.shape[1] - k_w
    Y = X.new_zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            Y[i, j] = (X[i : i + k_h, j : j + k_w] * K).sum()
    return Y
