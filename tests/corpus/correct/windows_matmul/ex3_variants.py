import torch


def corr1d(x, k):
    """Windows of x as strided views (a stride trick, not unfold), then a matrix-vector product."""
    n = x.shape[0] - k.shape[0] + 1
    windows = x.as_strided((n, k.shape[0]), (x.stride(0), x.stride(0)))
    return windows @ k


def corr3d(X, K):
    """Windows of X as one strided view, contracted with K by einsum."""
    out = tuple(n - m + 1 for n, m in zip(X.shape, K.shape))
    windows = X.as_strided(out + tuple(K.shape), X.stride() + X.stride())
    return torch.einsum("dhwcab,cab->dhw", windows, K)
