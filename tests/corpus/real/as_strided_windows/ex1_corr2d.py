import torch


def corr2d(X, K):
    """All windows at once as a strided view of X (assumes X is stored row by row), then one product-sum."""
    kh, kw = K.shape
    rows, cols = X.shape
    windows = X.as_strided((rows - kh + 1, cols - kw + 1, kh, kw), (cols, 1, cols, 1))
    return (windows * K).sum(dim=(2, 3))
