import numpy as np


def corr2d(X, K):
    """The loop of the text, written for NumPy arrays: the result is an ndarray."""
    kh, kw = K.shape
    out = np.zeros((X.shape[0] - kh + 1, X.shape[1] - kw + 1))
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            out[r][c] = (X[r : r + kh, c : c + kw] * K).sum()
    return out
