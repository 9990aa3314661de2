import torch
from ex1_corr2d import corr2d


def corr1d(x, k):
    n = x.shape[0] - k.shape[0] + 1
    y = x.new_zeros(n)
    for i in range(n):
        y[i] = (x[i : i + k.shape[0]] * k).sum()
    return y


def corr3d(X, K):
    # the multi-input-channel correlation of the text: one 2-D correlation per slice, then added up
    return sum(corr2d(x, k) for x, k in zip(X, K))
