import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


def flip_kernel(K):
    # turn the kernel upside down, then left to right: that makes a correlation a convolution
    return torch.flip(torch.flip(K, dims=(0,)), dims=(1,))


def conv2d_strict(X, K):
    return corr2d(X, flip_kernel(K))


def same_as_correlation(K):
    return torch.equal(K, flip_kernel(K))
