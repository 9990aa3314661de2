import math

import numpy as np
import torch


def edge_kernel(v):
    # derivative along v: v0 times the row difference plus v1 times the column difference
    rows = torch.tensor([[0.0, -0.5, 0.0], [0.0, 0.0, 0.0], [0.0, 0.5, 0.0]])
    cols = rows.T.contiguous()
    return v[0] * rows + v[1] * cols


def second_derivative_kernel():
    filter1_y = torch.tensor([[1.0, -2.0, 1.0]])
    return filter1_y


def laplace_kernel():
    # second difference down the rows times second difference along the columns
    filter1_x = torch.tensor([[1.0, -2.0, 1.0]]).T
    filter1_y = torch.tensor([[1.0, -2.0, 1.0]])
    return filter1_x @ filter1_y


def blur_kernel(size):
    return torch.ones(size, size) / (size * size)


def derivative_kernel(d):
    # d-th forward difference: binomial weights with alternating signs, the last one positive
    return torch.tensor([[float((-1) ** (d - a) * math.comb(d, a)) for a in range(d + 1)]])
