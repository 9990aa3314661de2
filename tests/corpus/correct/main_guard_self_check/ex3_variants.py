import torch
from torch.nn import functional


def corr1d(x, k):
    n = x.shape[0] - k.shape[0] + 1
    y = torch.zeros(n, dtype=x.dtype, device=x.device)
    for i in range(n):
        y[i] = (x[i : i + k.shape[0]] * k).sum()
    return y


def corr3d(X, K):
    d, h, w = K.shape
    shape = (X.shape[0] - d + 1, X.shape[1] - h + 1, X.shape[2] - w + 1)
    Y = torch.zeros(shape, dtype=X.dtype, device=X.device)
    for c in range(shape[0]):
        for i in range(shape[1]):
            for j in range(shape[2]):
                Y[c, i, j] = (X[c : c + d, i : i + h, j : j + w] * K).sum()
    return Y


if "__main__" == __name__:
    x, k = torch.randn(9), torch.randn(3)
    print(torch.allclose(corr1d(x, k), functional.conv1d(x[None, None], k[None, None])[0, 0], atol=1e-5))
    X, K = torch.randn(4, 5, 6), torch.randn(2, 2, 3)
    print(torch.allclose(corr3d(X, K), functional.conv3d(X[None, None], K[None, None])[0, 0], atol=1e-5))
