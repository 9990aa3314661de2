import math

import torch


def edge_kernel(v):
    # Sobel, written with integers as it is usually printed
    sobel_rows = torch.tensor([[-1, -2, -1], [0, 0, 0], [1, 2, 1]])
    sobel_cols = torch.tensor([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    return v[0] * sobel_rows + v[1] * sobel_cols


def second_derivative_kernel():
    return torch.tensor([[1, -2, 1]])


def laplace_kernel():
    return torch.tensor([[0, 1, 0], [1, -4, 1], [0, 1, 0]])


def blur_kernel(size):
    return torch.ones(size, size) / size**2


def derivative_kernel(d):
    return torch.tensor([[(-1) ** (d - k) * math.comb(d, k) for k in range(d + 1)]])
