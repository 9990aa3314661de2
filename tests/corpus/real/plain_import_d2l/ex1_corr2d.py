import d2l  # noqa: F401
import torch
from torch import nn  # noqa: F401


def corr2d(X, K):
    """
    二维互相关
    :param X: the image
    :param K: the kernel
    """
    kh, kw = K.shape
    size = (X.shape[0] - kh + 1, X.shape[1] - kw + 1)
    Y = torch.zeros(size)
    for r in range(size[0]):
        for c in range(size[1]):
            Y[r, c] = (X[r : r + kh, c : c + kw] * K).sum()
    return Y


image = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
corr2d(image, torch.tensor([[0.0, 1.0], [2.0, 3.0]]))
