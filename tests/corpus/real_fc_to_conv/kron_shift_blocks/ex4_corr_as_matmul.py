import torch


def shift(n_out, n_in, a, like):
    # rows a .. a + n_out - 1 of the identity: picks input a + i for output i
    return torch.eye(n_in, dtype=like.dtype, device=like.device)[a:a + n_out]


def correlation_matrix(K, input_shape):
    k_h, k_w = K.shape
    n_h, n_w = input_shape
    out_h, out_w = n_h - k_h + 1, n_w - k_w + 1
    M = torch.zeros((out_h * out_w, n_h * n_w), dtype=K.dtype, device=K.device)
    for a in range(k_h):
        # the 1-D convolution matrix of kernel row a, then placed block-diagonally a rows further on
        T = sum(K[a, b] * shift(out_w, n_w, b, K) for b in range(k_w))
        M = M + torch.kron(shift(out_h, n_h, a, K), T)
    return M


def correlation_input_grad(K, input_shape, grad_output):
    M = correlation_matrix(K, input_shape)
    return (M.T @ grad_output.reshape(-1)).reshape(input_shape)
