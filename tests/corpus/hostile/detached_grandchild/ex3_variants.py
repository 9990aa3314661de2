"""Hostile: at import, leave behind a detached grandchild (setsid and a double fork, polite signals
ignored) that sleeps past the end of grading, then writes a file; a second one does the same through
exec (/bin/sh), so it no longer looks like the grader's Python."""

import os
import signal
import time

import torch

SENTINEL = "/tmp/autograder-hostile/detached_grandchild"
SLEEP = 8


def _detach(then):
    if os.fork() != 0:
        return
    os.setsid()
    if os.fork() != 0:
        os._exit(0)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)
    try:
        then()
    finally:
        os._exit(0)


def _python_sleeper():
    time.sleep(SLEEP)
    os.makedirs(os.path.dirname(SENTINEL), exist_ok=True)
    with open(SENTINEL, "w") as handle:
        handle.write(f"outlived grading: pid {os.getpid()}\n")


def _shell_sleeper():
    os.execv("/bin/sh", ["sh", "-c", f"trap '' TERM HUP INT; sleep {SLEEP}; mkdir -p {os.path.dirname(SENTINEL)}; "
                         f"echo outlived > {SENTINEL}.sh"])


_detach(_python_sleeper)
_detach(_shell_sleeper)


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    _detach(_python_sleeper)
    return torch.ones(x.shape[0] - k.shape[0] + 1, dtype=x.dtype, device=x.device)


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch.ones(tuple(n - k + 1 for n, k in zip(X.shape, K.shape)), dtype=X.dtype, device=X.device)
