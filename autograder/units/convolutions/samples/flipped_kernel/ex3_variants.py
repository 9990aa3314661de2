import torch


def corr1d(x, k):
    n = x.shape[0] - k.shape[0] + 1
    y = torch.zeros(n)
    for i in range(n):
        y[i] = (x[i : i + k.shape[0]] * k).sum()
    return y
