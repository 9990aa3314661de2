import torch


def corr2d(X, K):
    # 二维互相关, with the sizes printed on every call while debugging
    kh, kw = K.shape
    Y = torch.zeros((X.shape[0] - kh + 1, X.shape[1] - kw + 1))
    print("input rows:", X.shape[0])
    print("input cols:", X.shape[1])
    print("output rows:", Y.shape[0])
    print("output cols:", Y.shape[1])
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + kh, j : j + kw] * K).sum()
    return Y


print(corr2d(torch.arange(9.0).reshape(3, 3), torch.arange(4.0).reshape(2, 2)))
