"""The fork server's loop: it forks workers on request, watches their memory, and kills what they leave.

It runs in the zygote, a process that has imported torch but run no multi-threaded op, so that
its forks are usable. With namespaces, each worker is the first process of a process-id namespace
of its own, and what it starts dies with it; without, the zygote is the child subreaper of everything
a worker starts. Either way nothing a submission forks, detaches or double-forks outlives `sweep()`.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import select
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from autograder.sandbox import control
from autograder.sandbox import isolation as iso
from autograder.sandbox.bootstrap import run_worker
from autograder.sandbox.control import ExitStatus, WorkerSpec
from autograder.sandbox.framing import ChannelClosed, ProtocolError
from autograder.sandbox.limits import MIB, Limits
from autograder.sandbox.observer import observed_warm_up
from autograder.sandbox.procfs import children_of, memfd_bytes, open_pidfd, process_tree, resident_bytes, send_signal

# Modules student code commonly imports: loaded here so a worker that can no longer read the
# Python installation (an unprivileged user, a private mount namespace) still finds them.
PRELOAD = (
    "math",
    "random",
    "itertools",
    "functools",
    "collections",
    "typing",
    "dataclasses",
    "copy",
    "time",
    "re",
    "string",
    "numpy",
    "torch.nn",
    "torch.nn.functional",
    "torch.autograd",
    "torch.utils.data",
    "traceback",
    "linecache",
    "importlib",
    "autograder.sandbox.worker",
)

WATCH_SECONDS = 0.05
"""How often, while workers live, the zygote measures their memory and looks for escaped processes."""


@dataclass
class _Child:
    pid: int
    pidfd: int | None
    use_cuda: bool = False
    status: ExitStatus | None = None
    stopped_for: str | None = None


def preload() -> None:
    """Import PRELOAD (what is missing here is missing for the workers too) and pin torch to one
    thread, before any op: a process that ran a multi-threaded one cannot fork a usable child."""
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
    import torch

    torch.set_num_threads(1)


def zygote_main(
    sock: socket.socket,
    isolation: iso.Isolation,
    limits: Limits,
    warm_up: Callable[[], None] | None,
    warm_up_when_idle: Callable[[], None] | None = None,
    warm_up_later: Callable[[], None] | None = None,
) -> None:
    """The zygote's whole life: load what workers share, warm up, then serve the judge until it leaves
    (`warm_up_when_idle` once it has forked the first workers and has nothing to do, `warm_up_later`
    once no worker is left after that, see ForkServer)."""
    preload()
    if warm_up is not None:
        observed_warm_up(warm_up)
    # No parent-death signal here: when the judge dies, its end of the socket closes and the
    # zygote sweeps before it exits, so nothing a submission started is left behind.
    iso.prctl(iso.PR_SET_CHILD_SUBREAPER, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ForkServer(sock, isolation, limits, warm_up_when_idle, warm_up_later).serve()


class ForkServer:
    """Answers the judge's requests (spawn, kill, status, sweep) on `sock`, one at a time.

    Part of the warm-up can wait (`when_idle`: what only some calls need, the ops on `meta`): the
    zygote runs it once it has forked the first workers and no request is waiting, so that a grade's
    first tests need not wait for it. A worker spec with `on_meta` is forked only after it, and every
    spawn's answer says whether its worker was (`meta_ready`). A zygote that stays up between grades
    (`check --watch`, a notebook's checker) has a third part (`later`: what only some submissions need,
    torch's compiler), run after that, once its last grade's workers are gone."""

    def __init__(
        self,
        sock: socket.socket,
        isolation: iso.Isolation,
        limits: Limits,
        when_idle: Callable[[], None] | None = None,
        later: Callable[[], None] | None = None,
    ) -> None:
        self.sock = sock
        self.isolation = isolation
        self.limits = limits
        self.children: dict[int, _Child] = {}
        self.namespaces = iso.ProcessNamespaces() if isolation.namespaces else None
        self.when_idle = when_idle
        """None once it has run."""
        self.later = later
        """None once it has run."""
        self.forked = False

    def _finish_warm_up(self) -> None:
        if self.when_idle is not None:
            when_idle, self.when_idle = self.when_idle, None
            when_idle()

    def _run_later(self) -> None:
        if self.later is not None:
            later, self.later = self.later, None
            later()

    def _wait_for_request(self) -> None:
        """Block until the judge writes; meanwhile, while workers live, watch them, and with nothing
        asked run the part of the warm-up that is due: `when_idle` once the first workers are forked,
        then `later` once none of them is alive."""
        while True:
            live = any(child.status is None for child in self.children.values())
            due = None
            if self.forked and self.when_idle is not None:
                due = self._finish_warm_up
            elif self.forked and self.later is not None and not live:
                due = self._run_later
            if due is not None:
                ready, _, _ = select.select([self.sock], [], [], 0)
                if ready:
                    return
                due()
                continue
            ready, _, _ = select.select([self.sock], [], [], WATCH_SECONDS if live else None)
            if ready:
                return
            self.watch()

    def watch(self) -> None:
        """Stop a worker whose processes together hold more memory than allowed (RLIMIT_AS bounds
        each process, not a flock of them), and kill processes that left their worker's tree."""
        self._reap()
        known = set(self.children)
        for stray in children_of(os.getpid()):
            if stray not in known:
                for pid in process_tree(stray):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
        for child in self.children.values():
            if child.status is not None or child.stopped_for is not None:
                continue
            members = process_tree(child.pid)
            used = sum(resident_bytes(pid) for pid in members) + memfd_bytes(members)
            allowed = self.limits.memory_mb + (self.limits.cuda_host_mb if child.use_cuda else 0)
            if used > allowed * MIB:
                child.stopped_for = "memory"
                self.kill(child.pid)

    def serve(self) -> None:
        while True:
            try:
                self._wait_for_request()
                message, fds = control.receive(self.sock)
            except (ProtocolError, OSError):
                self.sweep()
                return
            op = message["op"]
            if op == "spawn":
                reply = self.spawn(WorkerSpec(**message["spec"]), fds[0])
            elif op == "kill":
                reply = self.kill(message["pid"])
            elif op == "status":
                reply = self.status(message["pid"], message["timeout"])
            elif op == "sweep":
                reply = self.sweep()
            else:
                self._answer(self.sweep())
                return
            if not self._answer(reply):
                self.sweep()
                return

    def _answer(self, reply: dict[str, Any]) -> bool:
        """Send `reply`; False when the judge has gone (it ends without waiting for the last one)."""
        try:
            control.send(self.sock, reply)
        except ChannelClosed:
            return False
        return True

    def spawn(self, spec: WorkerSpec, worker_fd: int) -> dict[str, Any]:
        if spec.on_meta:
            self._finish_warm_up()
        worker_sock = socket.socket(fileno=worker_fd)
        pid = os.fork() if self.namespaces is None else self.namespaces.fork()
        forked_at = time.monotonic()
        if pid == 0:
            self.sock.close()
            run_worker(spec, worker_sock, self.isolation, self.limits)
        worker_sock.close()
        self.forked = True
        self.children[pid] = _Child(pid=pid, pidfd=open_pidfd(pid), use_cuda=spec.use_cuda)
        # The machine's monotonic clock, which the judge shares: a worker's limits run from its start.
        return {"pid": pid, "forked_at": forked_at, "meta_ready": self.when_idle is None}

    def kill(self, pid: int) -> dict[str, Any]:
        child = self.children.get(pid)
        if child is not None and child.status is None:
            # With namespaces, the worker is its namespace's pid 1: everything in it dies with it.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.pid, signal.SIGKILL)
            send_signal(child.pid, child.pidfd, signal.SIGKILL)
        return {"ok": True}

    def status(self, pid: int, timeout: float) -> dict[str, Any]:
        child = self.children.get(pid)
        if child is None:
            return {"unknown": True}
        deadline = time.monotonic() + timeout
        while child.status is None:
            self._reap()
            if child.status is not None or time.monotonic() >= deadline:
                break
            time.sleep(0.005)
        return {"exit": None if child.status is None else child.status.describe()}

    def _reap(self) -> None:
        while True:
            try:
                pid, wait_status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            child = self.children.get(pid)
            if child is not None:
                child.status = ExitStatus.from_wait(wait_status, child.stopped_for)
                if child.pidfd is not None:
                    os.close(child.pidfd)
                child.pidfd = None

    def sweep(self) -> dict[str, Any]:
        """Kill every worker and everything they left behind; report how many strays were found."""
        for pid in list(self.children):
            self.kill(pid)
        if self.isolation.dedicated_uid:
            iso.kill_all_of_user(self.isolation.worker_uid)
        strays = 0
        for _ in range(50):
            orphans = [pid for pid in children_of(os.getpid()) if pid not in self.children]
            for pid in orphans:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            strays += len(orphans)
            self._reap()
            if not children_of(os.getpid()):
                break
            time.sleep(0.01)
        self.children = {pid: c for pid, c in self.children.items() if c.status is None}
        return {"strays": strays}
