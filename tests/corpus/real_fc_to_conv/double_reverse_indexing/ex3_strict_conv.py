import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


def conv_transform(matrix):
    matrix_copy = matrix.clone()
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            matrix_copy[i][j] = matrix[matrix.shape[0] - i - 1][matrix.shape[1] - j - 1]
    return matrix_copy


def conv2d_strict(X, K):
    kernel = conv_transform(K)
    matrix_h, matrix_w = X.shape
    kernel_h, kernel_w = kernel.shape
    h = kernel_h // 2
    w = kernel_w // 2
    matrix_conv = torch.zeros(X.shape, dtype=X.dtype, device=X.device)
    for i in range(h, matrix_h - h):
        for j in range(w, matrix_w - w):
            total = 0
            for m in range(kernel_h):
                for n in range(kernel_w):
                    total += kernel[m][n] * X[i - h - m][j - w - n]
                matrix_conv[i][j] = total
    return matrix_conv


def same_as_correlation(K):
    return bool((conv_transform(K) == K).all())
