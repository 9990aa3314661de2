import torch


def edge_kernel(v):
    # Sobel's two gradients, combined along v.
    sobel_rows = torch.tensor([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])
    return v[0] * sobel_rows + v[1] * sobel_rows.T


def second_derivative_kernel():
    return torch.tensor([[-1.0, 16.0, -30.0, 16.0, -1.0]]) / 12


def laplace_kernel():
    return torch.tensor([[1.0, 1.0, 1.0], [1.0, -8.0, 1.0], [1.0, 1.0, 1.0]]) / 3


def blur_kernel(size):
    x = torch.arange(size, dtype=torch.float32) - (size - 1) / 2
    g = torch.exp(-(x**2) / 2)
    k = torch.outer(g, g)
    return k / k.sum()


def derivative_kernel(d):
    k = torch.tensor([1.0])
    for _ in range(d):
        k = torch.cat([-k, torch.zeros(1)]) + torch.cat([torch.zeros(1), k])
    return k.reshape(1, -1)
