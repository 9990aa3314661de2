import torch


def correlation_matrix(K, input_shape):
    n_h, n_w = input_shape
    k_h, k_w = K.shape
    out_h, out_w = n_h - k_h + 1, n_w - k_w + 1
    rows = []
    for i in range(out_h):
        for j in range(out_w):
            row = torch.zeros(n_h, n_w, dtype=K.dtype, device=K.device)
            row[i : i + k_h, j : j + k_w] = K
            rows.append(row.reshape(-1))
    return torch.stack(rows)


def correlation_input_grad(K, input_shape, grad_output):
    M = correlation_matrix(K, input_shape)
    return (grad_output.reshape(1, -1) @ M).reshape(input_shape)
