"""Judge processes forked from one warm process, each grading submission after submission.

The main process imports torch and loads everything grading needs once (threads pinned to one, so
forking stays safe); each judge is a fork of it with its own zygote, so starting one costs
milliseconds instead of a fresh Python's seconds. The main process never reads a submission: each
judge reads its own student's files itself, after its zygote is forked, so no worker can find a
classmate's code in the memory it inherits. A judge grades one student at a time, with workers that
never serve another student. If a judge dies, its student is recorded as failed and a fresh judge
takes its place: one broken submission never stops the batch.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import socket
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from autograder.batch.store import Meta, Store
from autograder.cleanup import default_signals
from autograder.errors import MachineFault
from autograder.sandbox import isolation
from autograder.sandbox.framing import ChannelClosed, FrameLimits, ProtocolError, recv_json, send_json
from autograder.sandbox.limits import Limits
from autograder.unit import Suite


@dataclass(frozen=True)
class Task:
    student: str
    path: str
    source: str
    """The entry of the class folder, as grades.csv and the feedback name it."""
    content: str


@dataclass(frozen=True)
class Settings:
    out: Path
    suite: Suite
    lang: str
    grader: str
    """Fingerprint of the grader, stored with each result."""
    limits: Limits
    submission_seconds: float = 600.0
    """A judge still busy with one student after this long is killed; the student is marked failed."""
    hide: tuple[str, ...] = ()
    """What no worker may see besides the kit: the class folder, the output folder."""
    scratch: str | None = None
    """The run's private folder: the judges' temporary files (the workers' scratch) go there."""
    secret_file: Path | None = None
    """The instructor's secret that seeds each student's hidden inputs: read by each judge only after
    its zygote has forked, never by this process (whose memory every judge inherits)."""
    unit: str | None = None
    """--unit; None lets each submission's files say its unit."""


GradeOne = Callable[[Any, Task, Settings], Meta]
"""(grader, task, settings) -> meta, run inside a judge; writes the student's files itself."""


MESSAGE_LIMITS = FrameLimits(head_bytes=1 << 20)
"""A task or a result is one JSON object, no buffers."""

REST_OF_MESSAGE_SECONDS = 30.0
"""A judge writes each message at once: once one has begun to arrive, the rest follows at once."""


def _judge_main(sock: socket.socket, settings: Settings, grade_one: GradeOne) -> None:
    from autograder.grading import Grader

    isolation.prctl(isolation.PR_SET_PDEATHSIG, signal.SIGKILL)
    default_signals()
    if settings.scratch:
        tempfile.tempdir = settings.scratch
    with Grader(settings.limits, secret_file=settings.secret_file) as grader:
        send_json(sock, {"ready": True})
        while True:
            try:
                message, _, _ = recv_json(sock, None, MESSAGE_LIMITS)
            except ChannelClosed:  # the batch is over
                return
            meta = grade_one(grader, Task(**message), settings)
            send_json(sock, {"meta": asdict(meta)})


@dataclass
class _Judge:
    pid: int
    sock: socket.socket
    task: Task | None = None
    since: float = 0.0
    ready: bool = False


def _receive(judge: _Judge) -> dict[str, Any] | None:
    """The judge's next message; None when it ended, or broke off in the middle of one."""
    try:
        message, _, _ = recv_json(judge.sock, time.monotonic() + REST_OF_MESSAGE_SECONDS, MESSAGE_LIMITS)
    except ProtocolError:
        return None
    return message


class JudgesWontStart(MachineFault, RuntimeError):
    """Judge processes die before they are ready: the grader cannot run on this machine."""


class JudgePool:
    """`jobs` judges; `run(tasks)` yields each student's Meta as it completes."""

    MAX_EARLY_DEATHS = 3

    def __init__(self, jobs: int, settings: Settings, grade_one: GradeOne) -> None:
        self.jobs = jobs
        self.settings = settings
        self.grade_one = grade_one
        self.selector = selectors.DefaultSelector()
        self.judges: dict[int, _Judge] = {}
        self.early_deaths = 0

    def _start(self) -> None:
        here, there = socket.socketpair()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            here.close()
            status = 0
            try:
                _judge_main(there, self.settings, self.grade_one)
            except BaseException:  # noqa: BLE001 - never unwind into the parent's code in a forked child
                traceback.print_exc()  # a grader bug: say where, the parent records the student as failed
                status = 70
            finally:
                os._exit(status)
        there.close()
        judge = _Judge(pid, here)
        self.judges[pid] = judge
        self.selector.register(here, selectors.EVENT_READ, judge)

    def _stop(self, judge: _Judge) -> None:
        self.selector.unregister(judge.sock)
        judge.sock.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(judge.pid, signal.SIGKILL)
        os.waitpid(judge.pid, 0)
        del self.judges[judge.pid]

    def _failed(self, task: Task, reason: str) -> Meta:
        meta = Meta(
            student=task.student,
            status="grader_failed",
            content="",
            grader=self.settings.grader,
            seconds=0.0,
            source=task.source,
            reason=reason,
        )
        Store(self.settings.out).finish(meta)
        return meta

    def run(self, tasks: Iterable[Task]) -> Iterable[Meta]:
        pending = list(tasks)
        pending.reverse()
        for _ in range(min(self.jobs, len(pending))):
            self._start()
        outstanding = len(pending)
        try:
            while outstanding:
                for judge in list(self.judges.values()):
                    if judge.ready and judge.task is None and pending:
                        judge.task, judge.since = pending.pop(), time.monotonic()
                        send_json(judge.sock, asdict(judge.task))
                    elif judge.task is not None and time.monotonic() - judge.since > self.settings.submission_seconds:
                        task = judge.task
                        self._stop(judge)
                        outstanding -= 1
                        yield self._failed(task, f"grading took longer than {self.settings.submission_seconds:g} s")
                        self._start()
                for key, _ in self.selector.select(timeout=1.0):
                    judge = key.data
                    message = _receive(judge)
                    if message is None:
                        task = judge.task
                        if not judge.ready:
                            self.early_deaths += 1
                            if self.early_deaths > self.MAX_EARLY_DEATHS:
                                raise JudgesWontStart("grading processes die before they are ready")
                        self._stop(judge)
                        if task is not None:
                            outstanding -= 1
                            yield self._failed(task, "the grading process died while grading this submission")
                        if outstanding:
                            self._start()
                        continue
                    if message.get("ready"):
                        judge.ready = True
                    elif "meta" in message:
                        judge.task = None
                        outstanding -= 1
                        yield Meta(**message["meta"])
        finally:
            for judge in list(self.judges.values()):
                self._stop(judge)
