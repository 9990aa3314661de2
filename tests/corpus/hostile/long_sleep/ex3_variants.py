"""Hostile: a call that sleeps for a day (no CPU used, so only a wall-clock limit stops it)."""

import time

import torch


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    time.sleep(86400)


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    time.sleep(86400)
