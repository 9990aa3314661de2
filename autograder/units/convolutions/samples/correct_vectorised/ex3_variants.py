def corr1d(x, k):
    n = x.shape[0] - k.shape[0] + 1
    y = x.new_zeros(n)
    for a in range(k.shape[0]):
        y = y + x[a : a + n] * k[a]
    return y


def corr3d(X, K):
    k_d, k_h, k_w = K.shape
    d, h, w = X.shape[0] - k_d + 1, X.shape[1] - k_h + 1, X.shape[2] - k_w + 1
    Y = X.new_zeros((d, h, w))
    for c in range(k_d):
        for a in range(k_h):
            for b in range(k_w):
                Y = Y + X[c : c + d, a : a + h, b : b + w] * K[c, a, b]
    return Y
