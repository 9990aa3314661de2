import numpy as np
import torch


def toeplitz(c, r):
    # numpy version of a Toeplitz matrix from its first column c and first row r
    n, m = len(c), len(r)
    T = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            T[i, j] = r[j - i] if j >= i else c[i - j]
    return T


def toeplitz_1_ch(kernel, input_size):
    # a 3x3 kernel, stride 1, padding 1: output as large as the input
    i_h, i_w = input_size
    n = i_h
    K1 = np.zeros((n,))
    K1[:2] = (kernel[1, 1], kernel[1, 2])
    K2 = np.zeros((n,))
    K2[:2] = (kernel[1, 1], kernel[1, 0])
    K = toeplitz(c=K2, r=K1)
    KK = np.identity(n)

    L1 = np.zeros((n,))
    L1[:2] = (kernel[2, 1], kernel[2, 2])
    L2 = np.zeros((n,))
    L2[:2] = (kernel[2, 1], kernel[2, 0])
    t = np.zeros(n)
    s = np.zeros(n)
    s[1] = 1
    L = toeplitz(c=L2, r=L1)
    LL = toeplitz(r=s, c=t)
    A = np.kron(LL, L) + np.kron(KK, K)

    L1 = np.zeros((n,))
    L1[:2] = (kernel[0, 1], kernel[0, 2])
    L2 = np.zeros((n,))
    L2[:2] = (kernel[0, 1], kernel[0, 0])
    L = toeplitz(c=L2, r=L1)
    LL = toeplitz(c=s, r=t)
    return A + np.kron(LL, L)


def correlation_matrix(K, input_shape):
    return torch.tensor(toeplitz_1_ch(K.detach().cpu().numpy(), input_shape))


def correlation_input_grad(K, input_shape, grad_output):
    M = correlation_matrix(K, input_shape)
    return (M.T @ grad_output.reshape(-1).double()).reshape(input_shape)
