import torch


def corr2d(X, K):
    """The loops of the text."""
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


def check_against_pytorch():
    """Compares with F.conv2d: test code, only ever run by hand."""
    import torch.nn.functional as F

    X, K = torch.randn(6, 7), torch.randn(2, 3)
    print(torch.allclose(corr2d(X, K), F.conv2d(X[None, None], K[None, None])[0, 0], atol=1e-5))


if __name__ == "__main__":
    import torch.nn.functional as F

    X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
    K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
    print(corr2d(X, K), F.conv2d(X[None, None], K[None, None])[0, 0])
    check_against_pytorch()
