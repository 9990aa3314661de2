import torch


def corr2d(X, K):
    """Windows as a strided view of X, then one einsum: a stride trick, not torch's unfold."""
    h, w = K.shape
    out_h, out_w = X.shape[0] - h + 1, X.shape[1] - w + 1
    s0, s1 = X.stride()
    windows = X.as_strided((out_h, out_w, h, w), (s0, s1, s0, s1))
    return torch.einsum("ijab,ab->ij", windows, K)
