import torch
from torch import Tensor


def corr2d(X: Tensor, K: Tensor) -> Tensor:
    n, m = X.shape
    r, s = K.shape
    a, b = n - r + 1, m - s + 1
    Y: Tensor = torch.zeros((a, b))
    for row in range(a):
        for col in range(b):
            window_product: Tensor = X[row : row + r, col : col + s] * K
            Y[row][col] = window_product.sum()
    return Y
