import torch


def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
    return Y


def correlation_matrix(K, input_shape):
    k_h, k_w = K.shape
    n_h, n_w = input_shape
    out_h, out_w = n_h - k_h + 1, n_w - k_w + 1
    M = torch.zeros((out_h * out_w, n_h * n_w), dtype=K.dtype, device=K.device)
    for i in range(out_h):
        for j in range(out_w):
            for a in range(k_h):
                M[i * out_w + j, (i + a) * n_w + j:(i + a) * n_w + j + k_w] = K[a]
    return M


def correlation_input_grad(K, input_shape, grad_output):
    # let autograd do it: l = sum(Y * grad_output), then l.backward() fills X.grad
    X = torch.zeros(input_shape, requires_grad=True)
    l = (corr2d(X, K) * grad_output).sum()
    l.backward()
    return X.grad
