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


def blur_kernel(size, sigma=1):
    # Gaussian kernel for blurring
    kernel = np.zeros((size, size))
    mean = size // 2
    sum_val = 0
    for i in range(size):
        for j in range(size):
            kernel[i, j] = (1 / (2 * np.pi * sigma**2)) * np.exp(-((i - mean) ** 2 + (j - mean) ** 2) / (2 * sigma**2))
            sum_val += kernel[i, j]
    return torch.from_numpy(kernel / sum_val)  # normalize the kernel


def derivative_kernel(d):
    # d-th forward difference: binomial weights with alternating signs, the last one positive
    return torch.tensor([[float((-1) ** (d - a) * math.comb(d, a)) for a in range(d + 1)]])
