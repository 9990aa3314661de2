import torch


def corr2d(X, K):
    kh, kw = K.shape
    Y = torch.zeros((X.shape[0] - kh + 1, X.shape[1] - kw + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + kh, j : j + kw] * K).sum()
    return Y


if __name__ == "__main__":
    import torch.nn.functional as F

    image = torch.randn(6, 8)
    kernel = torch.randn(2, 3)
    mine = corr2d(image, kernel)
    theirs = F.conv2d(image[None, None], kernel[None, None])[0, 0]
    print("matches F.conv2d:", torch.allclose(mine, theirs, atol=1e-6))
