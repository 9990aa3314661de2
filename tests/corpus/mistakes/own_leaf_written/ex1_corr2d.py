import torch


def corr2d(X, K):
    # the output should be trainable, so ask for gradients right away
    k_h, k_w = K.shape
    Y = torch.zeros(
        (X.shape[0] - k_h + 1, X.shape[1] - k_w + 1), dtype=X.dtype, device=X.device, requires_grad=True
    )
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + k_h, j : j + k_w] * K).sum()
    return Y
