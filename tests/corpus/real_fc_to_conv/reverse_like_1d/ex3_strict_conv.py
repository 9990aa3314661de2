import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


def conv2d_strict(X, K):
    # reverse kernel for convolution
    kernel = K.numpy()[::-1]
    return corr2d(X, torch.tensor(kernel.copy()))


def same_as_correlation(K):
    return torch.equal(K, torch.flip(K, dims=(0, 1)))
