"""Hostile: a call that never returns (a busy loop that swallows every exception it can)."""

import signal

import torch


def _spin():
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM):
        signal.signal(signum, signal.SIG_IGN)
    while True:
        try:
            while True:
                pass
        except BaseException:
            continue


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    _spin()


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    _spin()
