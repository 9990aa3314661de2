import torch
from torch import nn


class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        self.weight = nn.Parameter(torch.rand(kernel_size))
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, X):
        return self.cross_correlate(X, self.weight) + self.bias

    # 二维互相关, kept as a method of the layer
    def cross_correlate(self, X, K):
        kh, kw = K.shape
        Y = torch.zeros(size=(X.shape[0] - kh + 1, X.shape[1] - kw + 1))
        for i in range(Y.shape[0]):
            for j in range(Y.shape[1]):
                Y[i, j] = (X[i : i + kh, j : j + kw] * K).sum()
        return Y
