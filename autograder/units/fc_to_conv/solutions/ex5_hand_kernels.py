"""{module.ex5_hand_kernels}"""

import math

import torch


def edge_kernel(v: tuple[float, float]) -> torch.Tensor:
    """{doc.edge_kernel}"""
    # BEGIN SOLUTION
    # A central difference along v: v[0] * d/d(row) + v[1] * d/d(column).
    d_row = torch.tensor([[0.0, -0.5, 0.0], [0.0, 0.0, 0.0], [0.0, 0.5, 0.0]])
    d_col = torch.tensor([[0.0, 0.0, 0.0], [-0.5, 0.0, 0.5], [0.0, 0.0, 0.0]])
    return v[0] * d_row + v[1] * d_col
    # END SOLUTION


def second_derivative_kernel() -> torch.Tensor:
    """{doc.second_derivative_kernel}"""
    # BEGIN SOLUTION
    return torch.tensor([[1.0, -2.0, 1.0]])
    # END SOLUTION


def laplace_kernel() -> torch.Tensor:
    """{doc.laplace_kernel}"""
    # BEGIN SOLUTION
    return torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
    # END SOLUTION


def blur_kernel(size: int) -> torch.Tensor:
    """{doc.blur_kernel}"""
    # BEGIN SOLUTION
    return torch.full((size, size), 1.0 / (size * size))
    # END SOLUTION


def derivative_kernel(d: int) -> torch.Tensor:
    """{doc.derivative_kernel}"""
    # BEGIN SOLUTION
    # The d-th forward difference: sum over a of (-1)^(d - a) * C(d, a) * x[j + a].
    return torch.tensor([[(-1.0) ** (d - a) * math.comb(d, a) for a in range(d + 1)]])
    # END SOLUTION
