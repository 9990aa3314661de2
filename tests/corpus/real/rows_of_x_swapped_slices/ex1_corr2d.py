import torch


def corr2d(X, K):
    """Cross-correlation; the outer loop runs over the rows of X and the window takes w rows, h columns."""
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for row in range(X.shape[0]):
        for col in range(Y.shape[1]):
            Y[row, col] = (X[row : row + w, col : col + h] * K).sum()
    return Y
