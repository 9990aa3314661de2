"""Hostile: unbounded recursion: a RecursionError in corr1d; in corr3d, with the recursion limit raised out
of reach and every level going through C (sorted's key), until the C stack overflows (SIGSEGV)."""

import sys

import torch


def _down(n):
    return _down(n + 1) + 1


def _down_through_c(n):
    return sorted([0], key=lambda _: _down_through_c(n + 1))


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return _down(0)


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    sys.setrecursionlimit(1 << 30)
    return _down_through_c(0)
