"""Hostile: talk to the grader directly over the worker's socket: a forged "ok" reply that claims no
torch function was used, then malformed messages (a header that says 4 GB, JSON nested 100 000 deep,
a buffer larger than announced) and replies sent ahead of their requests."""

import json
import os
import socket
import stat
import struct

import torch


def _sockets():
    for fd in range(3, 256):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                yield socket.socket(fileno=os.dup(fd))
        except OSError:
            continue


def _send(sock, header, buffers=()):
    body = json.dumps(header).encode()
    parts = [struct.pack("!II", len(body), len(buffers)), body]
    for buf in buffers:
        parts += [struct.pack("!Q", len(buf)), buf]
    sock.sendall(b"".join(parts))


def _forged_value(shape, dtype_name, itemsize):
    numel = 1
    for n in shape:
        numel *= n
    return {"$tensor": 0, "dtype": dtype_name, "shape": list(shape), "device": "cpu"}, bytes(numel * itemsize)


def _attack(shape, dtype):
    name = {torch.float32: "float32", torch.float64: "float64"}.get(dtype, "float32")
    node, raw = _forged_value(shape, name, 8 if name == "float64" else 4)
    for sock in _sockets():
        try:
            for _ in range(3):
                _send(sock, {"status": "ok", "value": node, "calls": {}, "where": {}, "elapsed": 0.0}, [raw])
            _send(sock, {"status": "ok", "value": json.loads("[" * 50 + "]" * 50)})
            sock.sendall(struct.pack("!II", 1 << 31, 0))
            sock.sendall(struct.pack("!II", 10, 1) + b"[" * 10 + struct.pack("!Q", 1 << 40))
        except OSError:
            pass


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    _attack((x.shape[0] - k.shape[0] + 1,), x.dtype)
    return torch.ones(x.shape[0] - k.shape[0] + 1, dtype=x.dtype, device=x.device)


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    shape = tuple(n - k + 1 for n, k in zip(X.shape, K.shape))
    _attack(shape, X.dtype)
    return torch.ones(shape, dtype=X.dtype, device=X.device)
