import torch


def corr2d(X, K):
    kh, kw = K.shape
    result = torch.empty(size=(X.shape[0] - kh + 1, X.shape[1] - kw + 1))
    for a in range(result.shape[0]):
        for b in range(result.shape[1]):
            result[a, b] = (X[a : a + kh, b : b + kw] * K).sum()
    return result


# quick look at the example of the text
image = torch.arange(9.0).reshape(3, 3)
kernel = torch.arange(4.0).reshape(2, 2)
print(f"image: {image}")
print(f"kernel: {kernel}")
print(f"output: {corr2d(image, kernel)}")
