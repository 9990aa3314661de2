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
    radius = size // 2
    kernel = np.zeros((size, size), dtype=np.float32)
    for i in range(size):
        for j in range(size):
            x = i - radius - 1
            y = j - radius - 1
            kernel[i, j] = (1 / (2 * np.pi * sigma**2)) * np.exp(-(x**2 + y**2) / (2 * sigma**2))
    kernel /= np.sum(kernel)
    return torch.from_numpy(kernel)


def f_diff_weight(k, i):
    return math.comb(k, i) if i % 2 == 0 else -math.comb(k, i)


def derivative_kernel(d):
    # weights of the k-th order finite difference: [1], [1, -1], [1, -2, 1], [1, -3, 3, -1], ...
    return torch.tensor([[float(f_diff_weight(d, i)) for i in range(d + 1)]])
