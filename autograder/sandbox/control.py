"""What the judge and its fork server say to each other: worker specs, exit statuses, messages.

Both ends are the kit's own processes, forked before any student code runs; the channel carries JSON
objects, and a socket's descriptor where a worker is spawned.
"""

from __future__ import annotations

import json
import os
import signal
import socket
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class WorkerSpec:
    """What one worker is: which module, where its files are, what it may see and use."""

    module: str
    scratch: str
    """Real path of this worker's scratch folder, holding src/ (the student's files) and work/."""
    use_cuda: bool = False
    masked: list[str] = field(default_factory=list)
    """Paths the worker must not see (the kit's tests and solutions, the output folder, ...)."""


@dataclass(frozen=True)
class ExitStatus:
    """How a worker ended: an exit code, or the signal that killed it."""

    code: int | None
    signal: int | None
    limit: str | None = None
    """The sandbox limit the zygote stopped it for ("memory"), if any."""

    @classmethod
    def from_wait(cls, status: int, relayed: bool = False, limit: str | None = None) -> ExitStatus:
        """`relayed`: the status of a namespace's first process, which exits 128 + N when its worker
        (the namespace's pid 1) died of signal N."""
        if os.WIFSIGNALED(status):
            return cls(None, os.WTERMSIG(status), limit)
        code = os.WEXITSTATUS(status)
        if relayed and 128 < code < 128 + signal.NSIG:
            return cls(None, code - 128, limit)
        return cls(code, None, limit)

    def describe(self) -> dict[str, Any]:
        extra = {"limit": self.limit} if self.limit else {}
        if self.signal is not None:
            try:
                name = signal.Signals(self.signal).name
            except ValueError:
                name = str(self.signal)
            return {"signal": name, **extra}
        return {"code": self.code, **extra}


def send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode() + b"\n"
    if fds:
        socket.send_fds(sock, [data], fds)
    else:
        sock.sendall(data)


def receive(sock: socket.socket, timeout: float | None = None) -> tuple[dict[str, Any], list[int]]:
    sock.settimeout(timeout)
    data, fds, _, _ = socket.recv_fds(sock, 1 << 16, 4)
    if not data:
        raise EOFError("zygote channel closed")
    while not data.endswith(b"\n"):
        more = sock.recv(1 << 16)
        if not more:
            raise EOFError("zygote channel closed")
        data += more
    message: dict[str, Any] = json.loads(data)
    return message, fds
