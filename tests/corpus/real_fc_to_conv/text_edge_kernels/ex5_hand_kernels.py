import math

import numpy as np
import torch


def edge_kernel(v):
    # the text's K = [[1, -1]] only sees changes from one column to the next;
    # for changes down the rows use its transpose
    if v[1] != 0:
        return torch.tensor([[1.0, -1.0]])
    return torch.tensor([[1.0], [-1.0]])


def second_derivative_kernel():
    return torch.tensor([[1.0, -2.0, 1.0]])


def laplace_kernel():
    return torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


def blur_kernel(size):
    return torch.ones(size, size) / (size * size)


def derivative_kernel(d):
    # d-th forward difference: binomial weights with alternating signs, the last one positive
    return torch.tensor([[float((-1) ** (d - a) * math.comb(d, a)) for a in range(d + 1)]])
