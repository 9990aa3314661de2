import torch


def corr1d(x, k):
    n = x.shape[0] - k.shape[0] + 1
    y = x.new_zeros(n)
    for i in range(n):
        y[i] = (x[i : i + k.shape[0]] * k).sum()
    return y


def corr3d(X, K):
    """Valid 3-D operation: the kernel is reversed along each of its three axes first."""
    for axis in range(3):
        K = torch.flip(K, dims=(axis,))
    depth, rows, cols = X.shape
    kd, kh, kw = K.shape
    Y = torch.zeros((depth - kd + 1, rows - kh + 1, cols - kw + 1), dtype=X.dtype, device=X.device)
    for a in range(depth - kd + 1):
        for b in range(rows - kh + 1):
            for c in range(cols - kw + 1):
                Y[a, b, c] = (X[a : a + kd, b : b + kh, c : c + kw] * K).sum()
    return Y
