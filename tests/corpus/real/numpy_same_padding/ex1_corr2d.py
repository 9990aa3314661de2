import numpy as np


def corr2d(X, K):
    """Correlation with zero padding so that the output keeps the input's shape (odd kernels)."""
    assert X.ndim == K.ndim == 2
    rows, cols = X.shape
    kh, kw = K.shape
    pad_r = int(np.floor(np.divide(kh, 2)))
    pad_c = int(np.floor(np.divide(kw, 2)))
    padded = np.pad(X, ((pad_r, pad_r), (pad_c, pad_c)), mode="constant")
    kernel_flat = K.reshape(-1)
    out = np.zeros(X.shape)
    for i in range(pad_r, rows + pad_r):
        for j in range(pad_r, cols + pad_r):
            patch = padded[i - pad_r : i + pad_r + 1, j - pad_c : j + pad_c + 1]
            out[i - pad_r, j - pad_c] = patch.reshape(-1) @ kernel_flat
    return out
