import torch


def corr1d(x, k):
    """The text's example uses integer tensors, so both inputs are made floating point first."""
    x = x.float()
    k = k.float()
    y = torch.zeros(x.shape[0] - k.shape[0] + 1, dtype=x.dtype, device=x.device)
    for i in range(y.shape[0]):
        y[i] = (x[i : i + k.shape[0]] * k).sum()
    return y


def corr3d(X, K):
    kd, kh, kw = K.shape
    shape = (X.shape[0] - kd + 1, X.shape[1] - kh + 1, X.shape[2] - kw + 1)
    Y = X.new_zeros(shape)
    for d in range(shape[0]):
        for i in range(shape[1]):
            for j in range(shape[2]):
                Y[d, i, j] = (X[d : d + kd, i : i + kh, j : j + kw] * K).sum()
    return Y
