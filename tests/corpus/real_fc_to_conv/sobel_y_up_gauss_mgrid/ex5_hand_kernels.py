import math

import numpy as np
import torch


def sobel(direction):
    if direction == "x":
        return np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    if direction == "y":
        return np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]])


def edge_kernel(v):
    # v = (v0, v1): v0 along y, v1 along x
    k = v[0] * sobel("y") + v[1] * sobel("x")
    return torch.tensor(k, dtype=torch.float32)


def second_derivative_kernel():
    return torch.tensor([[1.0, -2.0, 1.0]])


def laplace_kernel():
    return torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


def blur_kernel(size):
    half = size // 2
    x, y = np.mgrid[-half:half + 1, -half:half + 1]
    g = np.exp(-(x**2 + y**2))
    g = g / g.sum()
    return torch.from_numpy(g)


def derivative_kernel(d):
    # d-th forward difference: binomial weights with alternating signs, the last one positive
    return torch.tensor([[float((-1) ** (d - a) * math.comb(d, a)) for a in range(d + 1)]])
