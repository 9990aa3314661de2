"""{module.ex6_diagonal_edges}"""

import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """{doc.given_corr2d}"""
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


EDGE_KERNEL = torch.tensor([[1.0, -1.0]])
"""{doc.EDGE_KERNEL}"""


def diagonal_edge_image(n: int) -> torch.Tensor:
    """{doc.diagonal_edge_image}"""
    # BEGIN SOLUTION
    return torch.triu(torch.ones(n, n))
    # END SOLUTION


def edges_of_diagonal(n: int) -> torch.Tensor:
    """{doc.edges_of_diagonal}"""
    # BEGIN SOLUTION
    return corr2d(diagonal_edge_image(n), EDGE_KERNEL)
    # END SOLUTION


def edges_of_transposed(n: int) -> torch.Tensor:
    """{doc.edges_of_transposed}"""
    # BEGIN SOLUTION
    return corr2d(diagonal_edge_image(n).T, EDGE_KERNEL)
    # END SOLUTION


def edges_with_transposed_kernel(n: int) -> torch.Tensor:
    """{doc.edges_with_transposed_kernel}"""
    # BEGIN SOLUTION
    return corr2d(diagonal_edge_image(n), EDGE_KERNEL.T)
    # END SOLUTION
