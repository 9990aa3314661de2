import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


EDGE_KERNEL = torch.tensor([[1.0, -1.0]])
"""The text's kernel K: 1 where a row steps from 1 to 0, -1 where it steps back."""


def diagonal_edge_image(n):
    # the triangular mask of a causal attention layer
    return torch.tril(torch.ones(n, n))


def edges_of_diagonal(n):
    return corr2d(diagonal_edge_image(n), EDGE_KERNEL)


def edges_of_transposed(n):
    return corr2d(diagonal_edge_image(n).T, EDGE_KERNEL)


def edges_with_transposed_kernel(n):
    return corr2d(diagonal_edge_image(n), EDGE_KERNEL.T)
