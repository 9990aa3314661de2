"""{module.ex2_fc_as_conv}"""

import torch


def fc_weight_of_kernel(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    """{doc.fc_weight_of_kernel}"""
    # BEGIN SOLUTION
    k_h, k_w = K.shape
    n_h, n_w = input_shape
    out_h, out_w = n_h - k_h + 1, n_w - k_w + 1
    W = torch.zeros((out_h, out_w, n_h, n_w), dtype=K.dtype, device=K.device)
    for i in range(out_h):
        for j in range(out_w):
            W[i, j, i : i + k_h, j : j + k_w] = K
    return W
    # END SOLUTION


def reindex(W: torch.Tensor) -> torch.Tensor:
    """{doc.reindex}"""
    # BEGIN SOLUTION
    out_h, out_w, n_h, n_w = W.shape
    V = torch.zeros((out_h, out_w, out_h + n_h - 1, out_w + n_w - 1), dtype=W.dtype, device=W.device)
    for i in range(out_h):
        for j in range(out_w):
            # a = k - i runs from -(out_h - 1) to n_h - 1; it is stored at a + out_h - 1.
            V[i, j, out_h - 1 - i : out_h - 1 - i + n_h, out_w - 1 - j : out_w - 1 - j + n_w] = W[i, j]
    return V
    # END SOLUTION


def is_translation_invariant(W: torch.Tensor) -> bool:
    """{doc.is_translation_invariant}"""
    # BEGIN SOLUTION
    out_h, out_w, n_h, n_w = W.shape
    first: dict[tuple[int, int], float] = {}
    for i in range(out_h):
        for j in range(out_w):
            for k in range(n_h):
                for m in range(n_w):
                    offset = (k - i, m - j)
                    value = float(W[i, j, k, m])
                    if first.setdefault(offset, value) != value:
                        return False
    return True
    # END SOLUTION


def is_local(W: torch.Tensor, delta: int) -> bool:
    """{doc.is_local}"""
    # BEGIN SOLUTION
    out_h, out_w, n_h, n_w = W.shape
    i = torch.arange(out_h).reshape(-1, 1, 1, 1)
    j = torch.arange(out_w).reshape(1, -1, 1, 1)
    k = torch.arange(n_h).reshape(1, 1, -1, 1)
    m = torch.arange(n_w).reshape(1, 1, 1, -1)
    far = ((k - i).abs() > delta) | ((m - j).abs() > delta)
    return not bool((W.cpu() != 0)[far].any())
    # END SOLUTION
