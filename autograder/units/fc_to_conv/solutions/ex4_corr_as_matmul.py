"""{module.ex4_corr_as_matmul}"""

import torch


def correlation_matrix(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    """{doc.correlation_matrix}"""
    # BEGIN SOLUTION
    k_h, k_w = K.shape
    n_h, n_w = input_shape
    out_h, out_w = n_h - k_h + 1, n_w - k_w + 1
    M = torch.zeros((out_h * out_w, n_h * n_w), dtype=K.dtype, device=K.device)
    for i in range(out_h):
        for j in range(out_w):
            for a in range(k_h):
                for b in range(k_w):
                    M[i * out_w + j, (i + a) * n_w + (j + b)] = K[a, b]
    return M
    # END SOLUTION


def correlation_input_grad(K: torch.Tensor, input_shape: tuple[int, int], grad_output: torch.Tensor) -> torch.Tensor:
    """{doc.correlation_input_grad}"""
    # BEGIN SOLUTION
    M = correlation_matrix(K, input_shape)
    return (M.T @ grad_output.reshape(-1)).reshape(input_shape)
    # END SOLUTION
