import torch


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


def conv_transform(kernel):
    kernel_copy = kernel.clone()
    for i in range(kernel.shape[0]):
        for j in range(kernel.shape[1]):
            kernel_copy[i][j] = kernel[kernel.shape[0] - i - 1][kernel.shape[1] - j - 1]
    return kernel_copy


def conv2d_strict(X, K):
    kernel = conv_transform(K)
    image_h, image_w = X.shape
    kernel_h, kernel_w = kernel.shape
    h = kernel_h // 2
    w = kernel_w // 2
    image_conv = torch.zeros(X.shape, dtype=X.dtype, device=X.device)
    # centre the kernel on each pixel that has a full neighbourhood; the border stays 0
    for i in range(h, image_h - h):
        for j in range(w, image_w - w):
            total = 0
            for m in range(kernel_h):
                for n in range(kernel_w):
                    total = total + kernel[m][n] * X[i - h + m][j - w + n]
            image_conv[i][j] = total
    return image_conv


def same_as_correlation(K):
    return bool((conv_transform(K) == K).all())
