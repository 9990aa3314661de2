# -*- coding: utf-8 -*-
from os import environ  # noqa: F401

import torch
from torch import nn  # noqa: F401
from d2l import torch as d2l  # noqa: F401


def corr2d(X, K):
    """二维互相关"""
    kh, kw = K.shape
    Y = torch.zeros((X.shape[0] - kh + 1, X.shape[1] - kw + 1))
    for p in range(Y.shape[0]):
        for q in range(Y.shape[1]):
            Y[p, q] = (X[p : p + kh, q : q + kw] * K).sum()
    return Y


demo_x = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
demo_k = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
print(corr2d(demo_x, demo_k))
