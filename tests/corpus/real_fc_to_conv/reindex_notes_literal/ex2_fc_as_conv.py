import torch


def fc_weight_of_kernel(K, input_shape):
    k_h, k_w = K.shape
    n_h, n_w = input_shape
    W = torch.zeros((n_h - k_h + 1, n_w - k_w + 1, n_h, n_w), dtype=K.dtype, device=K.device)
    for i in range(W.shape[0]):
        for j in range(W.shape[1]):
            W[i, j, i:i + k_h, j:j + k_w] = K
    return W


def reindex(W):
    # V 是 W 的重新索引: v[i, j, a, b] = w[i, j, i + a, j + b]
    out_h, out_w, n_h, n_w = W.shape
    V = torch.zeros_like(W)
    for i in range(out_h):
        for j in range(out_w):
            for a in range(n_h):
                for b in range(n_w):
                    if i + a < n_h and j + b < n_w:
                        V[i, j, a, b] = W[i, j, i + a, j + b]
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
