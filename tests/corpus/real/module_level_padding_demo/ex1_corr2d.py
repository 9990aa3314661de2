import torch
import torch.nn as nn


def corr2d(X, K):
    kh, kw = K.shape
    Y = torch.zeros((X.shape[0] - kh + 1, X.shape[1] - kw + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + kh, j : j + kw] * K).sum()
    return Y


def through_layer(layer, X):
    """Run a 2-D input through an nn.Conv2d by adding batch and channel axes, then drop them."""
    X = X.view((1, 1) + X.shape)
    out = layer(X)
    return out.view(out.shape[2:])


# padding of one on each side keeps an 8x8 input at 8x8 for a 3x3 kernel
padded_layer = nn.Conv2d(in_channels=1, out_channels=1, kernel_size=3, padding=1)
print(through_layer(padded_layer, torch.rand(8, 8)).shape)
