import torch
import torch.nn.functional as F


def index_pattern(n_out, k, n_in, like):
    # P[o, a, x] = 1 where input position x = o + a feeds output o through kernel tap a
    P = torch.zeros((n_out, k, n_in), dtype=like.dtype, device=like.device)
    for o in range(n_out):
        for a in range(k):
            P[o, a, o + a] = 1
    return P


def fc_weight_of_kernel(K, input_shape):
    k_h, k_w = K.shape
    n_h, n_w = input_shape
    rows = index_pattern(n_h - k_h + 1, k_h, n_h, K)
    cols = index_pattern(n_w - k_w + 1, k_w, n_w, K)
    return torch.einsum("iak,jbl,ab->ijkl", rows, cols, K)


def reindex(W):
    out_h, out_w, n_h, n_w = W.shape
    H, Wd = out_h + n_h - 1, out_w + n_w - 1
    rows = []
    for i in range(out_h):
        row = []
        for j in range(out_w):
            # zeros after the image, then a circular shift that only ever wraps zeros around
            padded = F.pad(W[i, j], (0, Wd - n_w, 0, H - n_h))
            row.append(torch.roll(padded, shifts=(out_h - 1 - i, out_w - 1 - j), dims=(0, 1)))
        rows.append(torch.stack(row))
    return torch.stack(rows)


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
