import torch


def toeplitz(c, r):
    # values along each diagonal: first row, then the first column reversed
    vals = torch.cat((r, c[1:].flip(0)))
    shape = len(c), len(r)
    i, j = torch.ones(*shape).nonzero().T
    return vals[j - i].reshape(*shape)


def row_blocks(K, n_w):
    k_h, k_w = K.shape
    # one 1-D convolution matrix per kernel row
    return torch.stack([
        toeplitz(
            c=torch.stack([K[r, 0], *torch.zeros(n_w - k_w)]),
            r=torch.stack([*K[r], *torch.zeros(n_w - k_w)]),
        )
        for r in range(k_h)
    ])


def fc_weight_of_kernel(K, input_shape):
    k_h, k_w = K.shape
    n_h, n_w = input_shape
    out_h = n_h - k_h + 1
    blocks = row_blocks(K, n_w)
    block_h, block_w = blocks[0].shape
    W = torch.zeros((out_h, block_h, n_h, block_w))
    for r, block in enumerate(blocks):
        for i in range(out_h):
            W[i, :, r + i, :] = block
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
