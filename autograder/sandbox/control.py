"""What the judge and its fork server say to each other: worker specs, exit statuses, messages.

Both ends are the kit's own processes, forked before any student code runs; the channel carries JSON
objects framed by autograder.sandbox.framing, and a socket's descriptor where a worker is spawned.
"""

from __future__ import annotations

import os
import signal
import socket
from dataclasses import dataclass, field
from typing import Any

from autograder.sandbox.framing import FrameLimits, recv_json, send_json


@dataclass(frozen=True)
class WorkerSpec:
    """What one worker is: which module, where its files are, what it may see and use."""

    module: str
    scratch: str
    """Real path of this worker's scratch folder, holding src/ (the student's files) and work/."""
    use_cuda: bool = False
    masked: list[str] = field(default_factory=list)
    """Paths the worker must not see (the kit's tests and solutions, the output folder, ...)."""
    observe_dispatch: bool = True
    """Whether calls run under the dispatch recorder (autograder.sandbox.observer): the evidence of a
    unit's rule; a file with no exercise under a rule is spared its cost."""
    on_meta: bool = False
    """Whether it is to run calls on `meta`: the zygote then forks it only after the part of its
    warm-up that such calls need (see autograder.sandbox.fork_server.ForkServer)."""


@dataclass(frozen=True)
class ExitStatus:
    """How a worker ended: an exit code, or the signal that killed it."""

    code: int | None
    signal: int | None
    limit: str | None = None
    """The sandbox limit the zygote stopped it for ("memory"), if any."""

    @classmethod
    def from_wait(cls, status: int, limit: str | None = None) -> ExitStatus:
        if os.WIFSIGNALED(status):
            return cls(None, os.WTERMSIG(status), limit)
        return cls(os.WEXITSTATUS(status), None, limit)

    def describe(self) -> dict[str, Any]:
        extra = {"limit": self.limit} if self.limit else {}
        if self.signal is not None:
            try:
                name = signal.Signals(self.signal).name
            except ValueError:
                name = str(self.signal)
            return {"signal": name, **extra}
        return {"code": self.code, **extra}


CONTROL_LIMITS = FrameLimits(head_bytes=1 << 20)
"""A control message is a JSON object alone, with one descriptor at most (a worker's socket, a pidfd)."""


def send(
    sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None, deadline: float | None = None
) -> None:
    """Send `message` (with `fds`); raises ProtocolError (ChannelClosed, ChannelTimeout) or OSError."""
    send_json(sock, message, fds=fds or (), deadline=deadline)


def receive(sock: socket.socket, deadline: float | None = None) -> tuple[dict[str, Any], list[int]]:
    """The next message and the descriptors it carried; raises ProtocolError (ChannelClosed,
    ChannelTimeout) or OSError."""
    message, _, fds = recv_json(sock, deadline, CONTROL_LIMITS, max_fds=1)
    return message, fds
