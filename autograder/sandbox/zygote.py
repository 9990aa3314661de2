"""The judge's handle on its fork server (the zygote): start it, ask it for workers, close it.

A process that has run a multi-threaded torch op, or touched CUDA, cannot fork a usable child. The
judge computes references, so it forks this zygote first thing and asks it for every worker. The
zygote's own loop is autograder.sandbox.fork_server; a worker's first steps, autograder.sandbox.bootstrap.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from autograder.errors import GraderFault
from autograder.sandbox import control
from autograder.sandbox import isolation as iso
from autograder.sandbox.bootstrap import python_installation
from autograder.sandbox.control import WorkerSpec
from autograder.sandbox.fork_server import zygote_main
from autograder.sandbox.framing import ProtocolError
from autograder.sandbox.limits import Limits

# python_installation: the grader closes the kit to others around it (autograder.grading).
__all__ = ["ZYGOTE_CRASHED", "Zygote", "ZygoteLost", "python_installation"]

ZYGOTE_CRASHED = 70
"""The fork server's exit status when it died of an exception (EX_SOFTWARE)."""

WarmUp = Callable[[], None]
"""What the zygote runs once before it serves (the units' own first operations), so that every
worker inherits what grading loads lazily: paid once instead of in each worker."""


class ZygoteLost(GraderFault, RuntimeError):
    """The fork server died or stopped answering; the judge cannot start workers any more."""


@dataclass(frozen=True)
class Forked:
    """The zygote's answer to a spawn."""

    pid: int
    at: float
    """When it forked the worker, on the machine's monotonic clock (the judge's time.monotonic())."""
    meta_ready: bool
    """Whether the worker can run calls on `meta` without importing what they need itself."""


@dataclass
class Spawning:
    """A worker asked for and not yet answered for: the zygote forks it while the judge goes on."""

    sock: socket.socket
    """The judge's end of the worker's channel."""
    reply: dict[str, Any] | None = None


class Zygote:
    """Judge-side handle of the fork server. It answers in the order it was asked, so a spawn may be
    asked for now and its answer read later (`spawn_soon`, `spawned`): the answers owed are read first."""

    def __init__(self, pid: int, sock: socket.socket, isolation: iso.Isolation, limits: Limits) -> None:
        self.pid = pid
        self.sock = sock
        self.isolation = isolation
        self.limits = limits
        self._unanswered: deque[Spawning] = deque()
        self.meta_ready = False
        """Whether it has said that it forks workers ready for calls on `meta` (it stays so)."""

    @classmethod
    def start(
        cls,
        limits: Limits,
        use_namespaces: bool = True,
        warm_up: WarmUp | None = None,
        warm_up_when_idle: WarmUp | None = None,
        warm_up_later: WarmUp | None = None,
    ) -> Zygote:
        """Fork the zygote, which imports what workers share and runs `warm_up` before it serves,
        `warm_up_when_idle` once it has forked the first workers and has nothing else to do, and
        `warm_up_later` once those workers are gone (see autograder.sandbox.fork_server.ForkServer).
        Call before this process runs any torch computation or touches CUDA."""
        isolation = iso.Isolation.detect(os.getpid(), use_namespaces)
        here, there = socket.socketpair()
        sys.stdout.flush()
        sys.stderr.flush()
        # Ctrl-C and SIGTERM wait until the fork is done: raised inside the fork's own hooks, they
        # would be swallowed there, and the grader would go on as if nothing had been asked.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        pid = os.fork()
        if pid != 0:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            here.close()
            _run_zygote(there, isolation, limits, warm_up, warm_up_when_idle, warm_up_later)
        there.close()
        return cls(pid, here, isolation, limits)

    def _send(self, message: dict[str, Any], fds: list[int] | None, deadline: float) -> None:
        try:
            control.send(self.sock, message, fds, deadline)
        except (OSError, ProtocolError) as exc:
            raise ZygoteLost(f"the worker fork server stopped answering ({exc})") from exc

    def _next_answer(self, deadline: float) -> dict[str, Any]:
        try:
            reply, _ = control.receive(self.sock, deadline)
        except (OSError, ProtocolError) as exc:
            raise ZygoteLost(f"the worker fork server stopped answering ({exc})") from exc
        return reply

    def _catch_up(self, deadline: float, until: Spawning | None = None) -> None:
        """Read the answers owed to earlier spawns: all of them, or up to `until`'s."""
        while self._unanswered and (until is None or until.reply is None):
            reply = self._unanswered.popleft().reply = self._next_answer(deadline)
            self.meta_ready = self.meta_ready or bool(reply.get("meta_ready"))

    def _ask(self, message: dict[str, Any], fds: list[int] | None = None, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        self._send(message, fds, deadline)
        self._catch_up(deadline)
        return self._next_answer(deadline)

    def spawn_soon(self, spec: WorkerSpec) -> Spawning:
        """Ask for a worker without waiting for the fork; `spawned` says its pid."""
        mine, theirs = socket.socketpair()
        try:
            self._send({"op": "spawn", "spec": asdict(spec)}, [theirs.fileno()], time.monotonic() + 30)
        except ZygoteLost:
            mine.close()
            raise
        finally:
            theirs.close()
        spawning = Spawning(mine)
        self._unanswered.append(spawning)
        return spawning

    def spawned(self, spawning: Spawning, timeout: float = 30) -> Forked:
        """A worker asked for with `spawn_soon`, once the zygote has forked it."""
        self._catch_up(time.monotonic() + timeout, until=spawning)
        assert spawning.reply is not None, "a spawn that was never asked for"
        reply = spawning.reply
        return Forked(int(reply["pid"]), float(reply["forked_at"]), bool(reply["meta_ready"]))

    def kill(self, pid: int) -> None:
        self._ask({"op": "kill", "pid": pid})

    def exit_status(self, pid: int, timeout: float = 2.0) -> dict[str, Any] | None:
        ended: dict[str, Any] | None = self._ask(
            {"op": "status", "pid": pid, "timeout": timeout}, timeout=timeout + 30
        )["exit"]
        return ended

    def sweep(self) -> int:
        return int(self._ask({"op": "sweep"}, timeout=60)["strays"])

    def close(self) -> None:
        with contextlib.suppress(ZygoteLost):
            self._ask({"op": "exit"}, timeout=5)
        self.sock.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _run_zygote(
    sock: socket.socket,
    isolation: iso.Isolation,
    limits: Limits,
    warm_up: WarmUp | None,
    warm_up_when_idle: WarmUp | None,
    warm_up_later: WarmUp | None,
) -> None:
    """The forked child's whole life; never returns into the judge's code."""
    status = ZYGOTE_CRASHED
    try:
        zygote_main(sock, isolation, limits, warm_up, warm_up_when_idle, warm_up_later)
        status = 0
    except BaseException:  # noqa: BLE001 - the forked child must never return into the judge's code
        # Said where the operator looks (the grader's stderr): the judge then reports the
        # fork server as lost, and the grading as failed.
        print("autograder: the worker fork server crashed:", file=sys.stderr)
        traceback.print_exc()
    finally:
        sys.stderr.flush()
        os._exit(status)
