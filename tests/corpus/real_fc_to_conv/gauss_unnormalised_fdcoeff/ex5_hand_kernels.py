import math

import numpy as np
import torch


def edge_kernel(v):
    # derivative along v: v0 times the row difference plus v1 times the column difference
    rows = torch.tensor([[0.0, -0.5, 0.0], [0.0, 0.0, 0.0], [0.0, 0.5, 0.0]])
    cols = rows.T.contiguous()
    return v[0] * rows + v[1] * cols


def second_derivative_kernel():
    return torch.tensor([[1.0, -2.0, 1.0]])


def laplace_kernel():
    return torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


def blur_kernel(size):
    sigma = 1.0
    kernel = np.fromfunction(
        lambda x, y: (1 / (2 * np.pi * sigma**2)) * np.exp(-((x - size // 2) ** 2 + (y - size // 2) ** 2) / (2 * sigma**2)),
        (size, size),
    )
    return torch.tensor(kernel, dtype=torch.float32)


def fd_coeff(stencil, d):
    # solve sum_i c_i s_i**a = d! [a == d] for a = 0 .. N-1
    N = len(stencil)
    sten = np.array(stencil, dtype=float)
    A = np.zeros((N, N))
    B = np.zeros(N)
    for a in range(N):
        A[a] = sten**a
        B[a] = math.factorial(d) if a == d else 0
    return np.linalg.solve(A, B)


def derivative_kernel(d):
    return torch.tensor(fd_coeff(list(range(d + 1)), d), dtype=torch.float32).reshape(1, d + 1)
