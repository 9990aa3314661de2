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
    out_h, out_w, n_h, n_w = W.shape
    V = torch.zeros((out_h, out_w, out_h + n_h - 1, out_w + n_w - 1), dtype=W.dtype, device=W.device)
    for i in range(out_h):
        for j in range(out_w):
            V[i, j, out_h - 1 - i:out_h - 1 - i + n_h, out_w - 1 - j:out_w - 1 - j + n_w] = W[i, j]
    return V


def is_translation_invariant(W):
    # like a Toeplitz check: walk every "diagonal" and compare each entry with the next one on it
    A = W.detach().cpu().numpy()
    out_h, out_w, n_h, n_w = A.shape
    same = True
    for i in range(out_h):
        for j in range(out_w):
            for k in range(n_h):
                for l in range(n_w):
                    if i + 1 < out_h and k + 1 < n_h:
                        same = same and (A[i, j, k, l] == A[i + 1, j, k + 1, l])
                    if j + 1 < out_w and l + 1 < n_w:
                        same = same and (A[i, j, k, l] == A[i, j + 1, k, l + 1])
                    if not same:
                        return False
    return bool(same)


def is_local(W, delta):
    # the "bandwidth" of W: how far from (i, j) a non-zero weight ever reaches
    A = W.detach().cpu().numpy()
    out_h, out_w, n_h, n_w = A.shape
    max_distance = 0
    for i in range(out_h):
        for j in range(out_w):
            for k in range(n_h):
                for l in range(n_w):
                    if A[i, j, k, l] != 0:
                        max_distance = max(max_distance, abs(k - i), abs(l - j))
    return max_distance <= delta
