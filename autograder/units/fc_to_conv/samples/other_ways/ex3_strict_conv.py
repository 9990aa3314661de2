import torch
import torch.nn.functional as F


def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


def conv2d_strict(X, K):
    rotated = torch.rot90(K, 2)
    return F.conv2d(X[None, None], rotated[None, None])[0, 0]


def same_as_correlation(K):
    return torch.equal(K, torch.rot90(K, 2))
