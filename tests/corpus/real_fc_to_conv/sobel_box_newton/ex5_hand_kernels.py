import math

import numpy as np
import torch


def edge_kernel(v):
    # Sobel: a difference across the direction of interest, smoothed [1, 2, 1] along the other
    sobel_rows = torch.tensor([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])
    sobel_cols = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    return v[0] * sobel_rows + v[1] * sobel_cols


def second_derivative_kernel():
    return torch.tensor([[1.0, -2.0, 1.0]])


def laplace_kernel():
    #  0  1  0
    #  1 -4  1
    #  0  1  0
    return torch.tensor([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=torch.float32)


def blur_kernel(size):
    kernel = np.ones((size, size), np.float32) / (size * size)
    return torch.from_numpy(kernel)


def derivative_kernel(d):
    # the d-th forward difference of Newton's formula: C(d, k) * (-1)**(d - k) on y[k]
    k = np.arange(d + 1)
    coeff = np.array([math.comb(d, int(i)) for i in k]) * (-1.0) ** (d - k)
    return torch.tensor(coeff, dtype=torch.float32).reshape(1, -1)
