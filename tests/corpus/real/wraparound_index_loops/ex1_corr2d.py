import torch


def corr2d(X, K):
    """Four explicit loops; the input is indexed backwards from the output position."""
    kh, kw = K.shape
    out_h = X.shape[0] - kh + 1
    out_w = X.shape[1] - kw + 1
    out = torch.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            for a in range(kh):
                for b in range(kw):
                    out[i, j] += X[i - a, j - b] * K[a, b]
    return out
