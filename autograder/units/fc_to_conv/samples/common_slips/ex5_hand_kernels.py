import torch


def edge_kernel(v):
    d_row = torch.tensor([[-1.0], [1.0]])
    d_col = torch.tensor([[-1.0, 1.0]])
    k = torch.zeros(2, 2)
    k[:, :1] += v[0] * d_row
    k[:1, :] += v[1] * d_col
    return k


def second_derivative_kernel():
    return torch.tensor([[1.0, -2.0, 1.0]])


def laplace_kernel():
    return torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


def blur_kernel(size):
    return torch.ones(size, size)


def derivative_kernel(d):
    # the text's edge kernel, [[1, -1]], applied d times
    k = torch.tensor([1.0])
    for _ in range(d):
        k = torch.cat([k, torch.zeros(1)]) - torch.cat([torch.zeros(1), k])
    return k.reshape(1, -1)
