import torch


def corr2d(X, K):
    """Reads the kernel back to front: this is a convolution."""
    k_h, k_w = K.shape
    Y = torch.zeros((X.shape[0] - k_h + 1, X.shape[1] - k_w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            for a in range(k_h):
                for b in range(k_w):
                    Y[i, j] = Y[i, j] + X[i + a, j + b] * K[k_h - 1 - a, k_w - 1 - b]
    return Y
