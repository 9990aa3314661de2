import torch


def corr1d(x, k):
    """Shifted slices of x, one per kernel entry."""
    n = x.shape[0] - k.shape[0] + 1
    return sum(k[a] * x[a : a + n] for a in range(k.shape[0])) + torch.zeros(n, dtype=x.dtype, device=x.device)


def corr3d(X, K):
    """Shifted blocks of X, one per kernel entry."""
    k_d, k_h, k_w = K.shape
    o_d, o_h, o_w = X.shape[0] - k_d + 1, X.shape[1] - k_h + 1, X.shape[2] - k_w + 1
    Y = torch.zeros((o_d, o_h, o_w), dtype=X.dtype, device=X.device)
    for c in range(k_d):
        for a in range(k_h):
            for b in range(k_w):
                Y = Y + K[c, a, b] * X[c : c + o_d, a : a + o_h, b : b + o_w]
    return Y
