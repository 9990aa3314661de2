import torch


def correlation_matrix(K, input_shape):
    k_h, k_w = K.shape
    n_h, n_w = input_shape
    out_h, out_w = n_h - k_h + 1, n_w - k_w + 1
    M = torch.zeros((out_h * out_w, n_h * n_w), dtype=K.dtype, device=K.device)
    for i in range(out_h):
        for j in range(out_w):
            window = torch.zeros((n_h, n_w), dtype=K.dtype, device=K.device)
            window[i:i + k_h, j:j + k_w] = K
            M[i * out_w + j] = window.reshape(-1)
    return M


def trans_conv(X, K):  # padding = 0, stride = 1
    h, w = K.shape
    Y = torch.zeros((X.shape[0] + h - 1, X.shape[1] + w - 1))
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            Y[i:i + h, j:j + w] += X[i, j] * K
    return Y


def correlation_input_grad(K, input_shape, grad_output):
    # the gradient of a convolution with respect to its input is the transposed convolution
    return trans_conv(grad_output, K)
