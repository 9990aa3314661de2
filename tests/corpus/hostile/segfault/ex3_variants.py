"""Hostile: crash the interpreter through ctypes (a read at address 8: SIGSEGV), and abort() in C."""

import ctypes

import torch


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return ctypes.c_char.from_address(8).value


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    ctypes.CDLL(None).abort()
