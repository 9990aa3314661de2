import torch
import torch.nn.functional as F


def fc_weight_of_kernel(K, input_shape):
    # Each input pixel, alone, shows which outputs it feeds: correlate one-hot images with K.
    n_h, n_w = input_shape
    eye = torch.eye(n_h * n_w, dtype=K.dtype, device=K.device).reshape(n_h * n_w, 1, n_h, n_w)
    responses = F.conv2d(eye, K[None, None])  # (n_h * n_w, 1, out_h, out_w)
    out_h, out_w = responses.shape[-2:]
    return responses.reshape(n_h, n_w, out_h, out_w).permute(2, 3, 0, 1)


def reindex(W):
    out_h, out_w, n_h, n_w = W.shape
    V = W.new_zeros(out_h, out_w, out_h + n_h - 1, out_w + n_w - 1)
    for i in range(out_h):
        for j in range(out_w):
            V[i, j, out_h - 1 - i : out_h - 1 - i + n_h, out_w - 1 - j : out_w - 1 - j + n_w] = W[i, j]
    return V


def is_translation_invariant(W):
    out_h, out_w = W.shape[:2]
    V = reindex(W)
    n_h, n_w = W.shape[2:]
    # Where an offset lands inside the input, every (i, j) must agree with every other.
    for i in range(out_h):
        for j in range(out_w):
            for a in range(-i, n_h - i):
                for b in range(-j, n_w - j):
                    for i2 in range(out_h):
                        for j2 in range(out_w):
                            if 0 <= i2 + a < n_h and 0 <= j2 + b < n_w:
                                if V[i, j, a + out_h - 1, b + out_w - 1] != V[i2, j2, a + out_h - 1, b + out_w - 1]:
                                    return False
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
