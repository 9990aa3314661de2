import torch.nn.functional as F


def corr2d(X, K):
    return F.conv2d(X[None, None], K[None, None])[0, 0]
