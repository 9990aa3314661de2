import numpy as np
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


def is_toeplitz_matrix(mat):
    n, m = mat.shape
    # horizontal diagonals
    for off in range(1, m):
        if np.ptp(np.diagonal(mat, offset=off)):
            return False
    # vertical diagonals
    for off in range(1, n):
        if np.ptp(np.diagonal(mat, offset=-off)):
            return False
    # every diagonal holds a single value
    return True


def is_translation_invariant(W):
    out_h, out_w, n_h, n_w = W.shape
    # the layer as a matrix (outputs x inputs): shared weights make it Toeplitz
    return is_toeplitz_matrix(W.detach().cpu().numpy().reshape(out_h * out_w, n_h * n_w))


def is_local(W, delta):
    out_h, out_w, n_h, n_w = W.shape
    i = torch.arange(out_h).view(-1, 1, 1, 1)
    j = torch.arange(out_w).view(1, -1, 1, 1)
    k = torch.arange(n_h).view(1, 1, -1, 1)
    l = torch.arange(n_w).view(1, 1, 1, -1)
    outside = ((k - i).abs() > delta) | ((l - j).abs() > delta)
    return not bool(W.cpu()[outside.expand(W.shape)].any())
