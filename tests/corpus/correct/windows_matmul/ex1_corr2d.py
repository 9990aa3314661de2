import torch


def corr2d(X, K):
    """Every window flattened into a row of one matrix, then one matrix-vector product with K."""
    k_h, k_w = K.shape
    out_h, out_w = X.shape[0] - k_h + 1, X.shape[1] - k_w + 1
    rows = [X[i : i + k_h, j : j + k_w].reshape(-1) for i in range(out_h) for j in range(out_w)]
    windows = torch.stack(rows)
    return (windows @ K.reshape(-1)).reshape(out_h, out_w)
