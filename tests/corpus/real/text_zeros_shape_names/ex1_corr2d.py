import torch


def corr2d(X, K):
    """Valid cross-correlation, the loop of the text with the input sizes unpacked first."""
    kh, kw = K.shape
    rows, cols = X.shape
    out = torch.zeros((rows - kh + 1, cols - kw + 1))
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            out[r, c] = torch.sum(X[r : r + kh, c : c + kw] * K)
    return out
