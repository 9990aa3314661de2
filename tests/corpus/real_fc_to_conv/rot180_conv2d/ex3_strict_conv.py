import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


import torch.nn.functional as F  # noqa: E402


def conv2d_strict(X, K):
    # a true convolution is F.conv2d (a correlation) with the kernel turned by 180 degrees
    kernels_rot180 = torch.rot90(K, 2, dims=(0, 1))
    return F.conv2d(X.unsqueeze(0).unsqueeze(0), kernels_rot180.unsqueeze(0).unsqueeze(0))[0, 0]


def same_as_correlation(K):
    # try both on the same input and compare what comes out
    arr = torch.randn(K.shape[0] + 3, K.shape[1] + 3, dtype=K.dtype, device=K.device)
    return torch.allclose(conv2d_strict(arr, K), corr2d(arr, K))
