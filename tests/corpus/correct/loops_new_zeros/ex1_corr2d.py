def corr2d(X, K):
    """Element by element, with new_zeros: slow but correct."""
    k_h, k_w = K.shape
    Y = X.new_zeros((X.shape[0] - k_h + 1, X.shape[1] - k_w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            total = X.new_zeros(())
            for a in range(k_h):
                for b in range(k_w):
                    total = total + X[i + a, j + b] * K[a, b]
            Y[i, j] = total
    return Y
