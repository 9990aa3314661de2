"""Hostile: look for the expected answer in its own process (the garbage collector's objects, the callers'
frames) and in its parents' memory (/proc/<pid>/mem), and return whatever fits the output shape."""

import gc
import os
import sys

import torch


def _candidates(shape, inputs):
    seen = {id(t) for t in inputs}
    frame = sys._getframe(1)
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if isinstance(value, torch.Tensor) and id(value) not in seen:
                yield value
        frame = frame.f_back
    for obj in gc.get_objects():
        if isinstance(obj, torch.Tensor) and id(obj) not in seen:
            yield obj


def _read_parent_memory():
    """Read the first readable mapping of every ancestor; success would mean the judge is exposed."""
    stolen = 0
    pid = os.getppid()
    for _ in range(5):
        if pid <= 1:
            break
        try:
            with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb") as mem:
                for line in maps:
                    start, end = (int(x, 16) for x in line.split()[0].split("-"))
                    if "r" in line.split()[1]:
                        mem.seek(start)
                        stolen += len(mem.read(min(end - start, 1 << 16)))
                        break
            with open(f"/proc/{pid}/stat") as stat:
                pid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            break
    return stolen


def _steal(shape, dtype, inputs):
    _read_parent_memory()
    for tensor in _candidates(shape, inputs):
        try:
            if tuple(tensor.shape) == tuple(shape) and tensor.dtype == dtype and tensor.device.type != "meta":
                return tensor.detach().clone()
        except (RuntimeError, AttributeError, ReferenceError):
            continue
    return torch.zeros(shape, dtype=dtype)


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return _steal((x.shape[0] - k.shape[0] + 1,), x.dtype, (x, k)).to(x.device)


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return _steal(tuple(n - k + 1 for n, k in zip(X.shape, K.shape)), X.dtype, (X, K)).to(X.device)
