import torch


def corr2d(X, K):
    K.squeeze_()  # drop size-1 axes of the kernel, then put them back below
    if K.dim() == 0:
        K = K.reshape(1, 1)
    elif K.dim() == 1:
        K = K.reshape(1, -1)
    k_h, k_w = K.shape
    Y = X.new_zeros((X.shape[0] - k_h + 1, X.shape[1] - k_w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + k_h, j : j + k_w] * K).sum()
    return Y
