import torch


def shift(n_out, n_in, a, like):
    return torch.eye(n_in, dtype=like.dtype, device=like.device)[a:a + n_out]


def fc_weight_of_kernel(K, input_shape):
    k_h, k_w = K.shape
    n_h, n_w = input_shape
    out_h, out_w = n_h - k_h + 1, n_w - k_w + 1
    M = 0
    for a in range(k_h):
        T = sum(K[a, b] * shift(out_w, n_w, b, K) for b in range(k_w))
        M = M + torch.kron(shift(out_h, n_h, a, K), T)
    # rows are (i, j) outputs, columns (k, l) inputs: unflatten both
    return M.reshape(out_h, out_w, n_h, n_w)


def reindex(W):
    out_h, out_w, n_h, n_w = W.shape
    V = torch.zeros((out_h, out_w, out_h + n_h - 1, out_w + n_w - 1), dtype=W.dtype, device=W.device)
    for i in range(out_h):
        for j in range(out_w):
            V[i, j, out_h - 1 - i:out_h - 1 - i + n_h, out_w - 1 - j:out_w - 1 - j + n_w] = W[i, j]
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
