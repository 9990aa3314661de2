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
    k = [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]
    return torch.tensor(k, dtype=torch.float32)


def blur_kernel(size):
    return torch.ones(size, size) / (size * size)


def derivative_kernel(d):
    # d-th forward difference: binomial weights with alternating signs, the last one positive
    return torch.tensor([[float((-1) ** (d - a) * math.comb(d, a)) for a in range(d + 1)]])
