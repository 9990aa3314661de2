import torch


def corr2d(X, K):
    x, k = X.tolist(), K.tolist()
    k_h, k_w = len(k), len(k[0])
    out = []
    for i in range(len(x) - k_h + 1):
        out.append([
            sum(x[i + a][j + b] * k[a][b] for a in range(k_h) for b in range(k_w))
            for j in range(len(x[0]) - k_w + 1)
        ])
    return torch.tensor(out, dtype=X.dtype, device=X.device)
