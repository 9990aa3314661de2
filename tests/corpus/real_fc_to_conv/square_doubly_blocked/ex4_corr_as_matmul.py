import numpy as np
import torch
import torch.nn.functional as F


def toeplitz_row(row, N, K, stride=1):
    O = int(np.floor(((N - (K - 1) - 1) / stride) + 1))
    repeated = row.repeat(O, 1)
    padded = F.pad(repeated, (0, N - row.size(0)))
    rolled = [torch.roll(padded, shifts=i * stride, dims=1) for i in range(O)]
    output = torch.stack(rolled)[:, 0, :]
    ii, jj = torch.meshgrid(torch.arange(O), torch.arange(N), indexing="ij")
    mask = (ii * stride > jj) | (jj >= ii * stride + row.size()[0])
    return torch.where(~mask, output, 0)


def correlation_matrix(K, input_shape):
    k = K.shape[0]
    N = input_shape[0]
    O = N - k + 1
    W = torch.zeros((O, O, N, N))
    for r in range(k):
        block = toeplitz_row(K[r], N, k)
        for c in range(O):
            W[c, :, r + c, :] = block
    return W.reshape(O * O, N * N)


def correlation_input_grad(K, input_shape, grad_output):
    M = correlation_matrix(K, input_shape)
    return (M.T @ grad_output.reshape(-1)).reshape(input_shape)
