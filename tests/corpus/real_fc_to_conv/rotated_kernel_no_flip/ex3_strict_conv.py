import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


def rotate(K):
    # the kernel "rotated by 180 degrees": reverse it, and reverse it again
    return K.flip(0).flip(0)


def conv2d_strict(X, K):
    return corr2d(X, rotate(K))


def same_as_correlation(K):
    return torch.equal(K, rotate(K))
