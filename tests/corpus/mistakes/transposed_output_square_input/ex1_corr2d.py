import torch


def corr2d(X, K):
    k_h, k_w = K.shape
    n_rows, n_cols = X.shape[0] - k_h + 1, X.shape[1] - k_w + 1
    Y = X.new_zeros((n_cols, n_rows))
    for i in range(n_rows):
        for j in range(n_cols):
            Y[j, i] = (X[i : i + k_h, j : j + k_w] * K).sum()
    return Y
