"""Hostile: the convolution runs in a thread of its own, out of sight of the recorder of the calling thread."""

import threading

import torch

_NAME = "".join(map(chr, (99, 111, 110, 118, 111, 108, 117, 116, 105, 111, 110)))


def _in_thread(x, k):
    box = []
    worker = threading.Thread(target=lambda: box.append(torch.ops.aten.__getattr__(_NAME)(
        x, k, None, [1] * (x.dim() - 2), [0] * (x.dim() - 2), [1] * (x.dim() - 2), False, [0] * (x.dim() - 2), 1)))
    worker.start()
    worker.join()
    return box[0]


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return _in_thread(x[None, None], k[None, None])[0, 0]


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return _in_thread(X[None, None], K[None, None])[0, 0]
