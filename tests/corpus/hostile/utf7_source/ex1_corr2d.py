# coding: utf-7
"""Hostile: a UTF-7 encoding cookie: what a UTF-8 reader sees as a comment is code to Python."""

import torch
import torch.nn.functional as F


def corr2d(X, K):
    # (a comment) +AAo-    return F.conv2d(X[None, None], K[None, None])[0, 0]
    return torch.zeros(1)
