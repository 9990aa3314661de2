import torch


def corr2d(X, K):
    h, w = K.shape
    x, k = X.tolist(), K.tolist()
    rows = []
    for i in range(len(x) - h + 1):
        row = []
        for j in range(len(x[0]) - w + 1):
            row.append(sum(x[i + a][j + b] * k[a][b] for a in range(h) for b in range(w)))
        rows.append(row)
    return torch.tensor(rows, dtype=X.dtype, device=X.device)
