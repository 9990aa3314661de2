import torch


def corr2d(X, K):
    """The correlation theorem: multiply X's spectrum by the conjugate of K's, transform back, crop."""
    h, w = X.shape
    k_h, k_w = K.shape
    spectrum = torch.fft.rfft2(X) * torch.conj(torch.fft.rfft2(K, s=(h, w)))
    full = torch.fft.irfft2(spectrum, s=(h, w))
    return full[: h - k_h + 1, : w - k_w + 1].to(X.dtype)
