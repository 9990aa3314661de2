import numpy as np
import torch
import torch.nn.functional as F


def toeplitz_row(row, N, K, stride=1):
    # N: input side, K: kernel side
    O = int(np.floor(((N - (K - 1) - 1) / stride) + 1))
    repeated = row.repeat(O, 1)
    padded = F.pad(repeated, (0, N - row.size(0)))
    # shift each copy one more place to the right (circularly), then keep the first row of each
    rolled = [torch.roll(padded, shifts=i * stride, dims=1) for i in range(O)]
    output = torch.stack(rolled)[:, 0, :]
    # zero what wrapped around
    ii, jj = torch.meshgrid(torch.arange(O), torch.arange(N), indexing="ij")
    mask = (ii * stride > jj) | (jj >= ii * stride + row.size()[0])
    return torch.where(~mask, output, 0)


def fc_weight_of_kernel(K, input_shape):
    k = K.shape[0]
    N = input_shape[0]
    O = N - k + 1
    W = torch.zeros((O, O, N, N))
    for r in range(k):
        block = toeplitz_row(K[r], N, k)
        for c in range(O):
            W[c, :, r + c, :] = block
    return W


def reindex(W):
    out_h, out_w, n_h, n_w = W.shape
    V = torch.zeros((out_h, out_w, out_h + n_h - 1, out_w + n_w - 1), dtype=W.dtype, device=W.device)
    for i in range(out_h):
        for j in range(out_w):
            for k in range(n_h):
                for l in range(n_w):
                    V[i, j, k - i + out_h - 1, l - j + out_w - 1] = W[i, j, k, l]
    return V


def is_translation_invariant(W):
    out_h, out_w, n_h, n_w = W.shape
    seen = {}
    for i in range(out_h):
        for j in range(out_w):
            for k in range(n_h):
                for l in range(n_w):
                    key = (k - i, l - j)
                    if key in seen and seen[key] != W[i, j, k, l]:
                        return False
                    seen.setdefault(key, W[i, j, k, l])
    return True


def is_local(W, delta):
    out_h, out_w, n_h, n_w = W.shape
    for i in range(out_h):
        for j in range(out_w):
            for k in range(n_h):
                for l in range(n_w):
                    if (abs(k - i) > delta or abs(l - j) > delta) and W[i, j, k, l] != 0:
                        return False
    return True
