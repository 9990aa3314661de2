import torch


def corr2d(X, K):
    """One shifted slice of X per kernel entry, stacked and summed."""
    k_h, k_w = K.shape
    out_h, out_w = X.shape[0] - k_h + 1, X.shape[1] - k_w + 1
    terms = [X[a : a + out_h, b : b + out_w] * K[a, b] for a in range(k_h) for b in range(k_w)]
    return torch.stack(terms).sum(dim=0)
