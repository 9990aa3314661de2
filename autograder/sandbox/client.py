"""Judge-side handle on a submission's workers: spawn on demand, time every call, recover from crashes.

One worker per (exercise file, device kind): an attack in one file cannot touch the others, and a
worker that hangs, crashes or misbehaves is killed and replaced by a fresh one for the next call.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from autograder.errors import MachineFault, StudentFault
from autograder.sandbox import wire
from autograder.sandbox.control import WorkerSpec
from autograder.sandbox.limits import MIB, Limits
from autograder.sandbox.zygote import Spawning, Zygote
from autograder.submission.loader import LoadedSubmission


class StudentFailure(StudentFault):
    """Student code did not produce an answer; the judge turns this into feedback."""


class ImportFailure(StudentFailure):
    """The exercise file is missing, raised while importing, or killed the process doing so."""

    def __init__(
        self, module: str, reason: str, report: dict[str, Any] | None = None, exit: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{module}: {reason}")
        self.module = module
        self.reason = reason  # missing | raised | exited | timeout | protocol
        self.report = report or {}
        self.exit = exit


class CallRaised(StudentFailure):
    """Student code raised; `report` holds the type, message and the student's own traceback."""

    def __init__(self, stage: str, report: dict[str, Any]) -> None:
        super().__init__(f"{stage}: {report.get('exc_type')}")
        self.stage = stage
        self.report = report


class CallTimeout(StudentFailure):
    def __init__(self, function: str, seconds: float) -> None:
        super().__init__(f"{function} took longer than {seconds:g} s")
        self.function = function
        self.seconds = seconds


class WorkerDied(StudentFailure):
    def __init__(self, function: str, exit: dict[str, Any] | None) -> None:
        super().__init__(f"{function}: worker ended {exit}")
        self.function = function
        self.exit = exit


class BadReply(StudentFailure):
    def __init__(self, function: str, detail: str) -> None:
        super().__init__(f"{function}: {detail}")
        self.function = function
        self.detail = detail


class DeviceUnavailable(MachineFault, RuntimeError):
    """A CUDA worker could not start CUDA inside the sandbox: the grading machine's fault, never the
    student's. The pool remembers it, so that no other CUDA worker of the submission tries again."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"CUDA could not be used inside the sandbox: {detail}")
        self.detail = detail


class SandboxFailed(MachineFault, RuntimeError):
    """A worker ended, or took longer than its import limit, before it said that its sandbox was in
    place: the machine refused a step (a mount, a limit, Landlock) before any student code ran, so the
    student is not blamed. The pool remembers it: the submission's other workers would meet the same."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"a worker could not enter its sandbox: {detail}")
        self.detail = detail


class Benched(StudentFailure):
    """The function timed out too often already; its remaining calls are not run."""

    def __init__(self, function: str, strikes: int) -> None:
        super().__init__(f"{function} timed out {strikes} times")
        self.function = function
        self.strikes = strikes


class RequestPool(Protocol):
    """What the judge needs of whatever runs a submission's code: a request in, a reply out, or a
    StudentFailure. Sandboxed workers (WorkerPool) answer so, and so does a notebook's own namespace
    inside its kernel (autograder.jupyter.namespace.NamespacePool)."""

    def request(
        self,
        module: str,
        function: str,
        header: dict[str, Any],
        buffers: list[bytes],
        use_cuda: bool = False,
        timeout: float | None = None,
        on_meta: bool = False,
    ) -> tuple[dict[str, Any], list[bytes]]: ...


@dataclass
class _Slot:
    pid: int | None = None
    sock: socket.socket | None = None
    spawning: Spawning | None = None
    """Asked of the zygote and not yet answered for: `pid` is unknown, and the limits have not begun."""
    use_cuda: bool = False
    sandboxed: bool = False
    """Whether the worker has said that its sandbox is in place (its first message)."""
    meta_ready: bool = False
    """Forked after the zygote loaded what calls on `meta` import (see ForkServer)."""
    ready: bool = False
    device_deadline: float | None = None
    """Until when a CUDA worker may take to start CUDA; None once it has (or for a CPU worker)."""
    import_deadline: float = 0.0
    import_failure: ImportFailure | None = None


@dataclass
class WorkerPool:
    """The workers of one submission. Close it to kill them all and sweep up strays."""

    zygote: Zygote
    student_files: dict[str, bytes]
    """File name -> content of the submission's Python files (the judge's own copy)."""
    limits: Limits
    masked: list[str] = field(default_factory=list)
    observed_modules: frozenset[str] | None = None
    """The files whose workers run every call under the dispatch recorder (a unit's rule reads it,
    see WorkerSpec); None: every file."""
    _slots: dict[tuple[str, bool, bool], _Slot] = field(default_factory=dict)
    """By module, CUDA or not, and whether it was started for the calls on `meta` (start_on_meta)."""
    _strikes: dict[str, int] = field(default_factory=dict)
    _device_failure: DeviceUnavailable | None = None
    _sandbox_failure: SandboxFailed | None = None
    _scratch: str = ""
    _spawned: int = 0
    strays: int = 0

    def __post_init__(self) -> None:
        self._scratch = tempfile.mkdtemp(prefix="autograder-")
        os.chmod(self._scratch, 0o755)

    @classmethod
    def for_submission(
        cls, zygote: Zygote, submission: LoadedSubmission, limits: Limits, masked: list[str] | None = None
    ) -> WorkerPool:
        """The workers a submission's grading needs: the dispatch recorder only for the files of the
        exercises under its unit's rule (the rule fails closed without the recorder's report)."""
        return cls(zygote, submission.files, limits, masked or [], observed_modules=submission.unit.ruled_modules)

    # -- lifecycle
    def _prepare_scratch(self) -> str:
        self._spawned += 1
        root = os.path.join(self._scratch, f"w{self._spawned}")
        src, work = os.path.join(root, "src"), os.path.join(root, "work")
        os.makedirs(src)
        os.makedirs(work)
        for name, content in self.student_files.items():
            path = os.path.join(src, name)
            with open(path, "wb") as handle:
                handle.write(content)
            os.chmod(path, 0o444)
        os.chmod(src, 0o555)
        os.chmod(root, 0o755)
        isolation = self.zygote.isolation
        if isolation.as_root:
            os.chown(work, isolation.worker_uid, isolation.worker_gid)
        os.chmod(work, 0o700)
        return root

    def _slot(self, module: str, use_cuda: bool, for_meta: bool = False) -> _Slot:
        return self._slots.setdefault((module, use_cuda, for_meta), _Slot())

    def start(self, modules: list[str], use_cuda: bool) -> None:
        """Start the workers of `modules` now and let them import while the judge goes on: what a CUDA
        worker does first (start CUDA, a second or more) then overlaps the tests before its own."""
        for module in modules:
            slot = self._slot(module, use_cuda)
            if slot.sock is None and slot.import_failure is None and f"{module}.py" in self.student_files:
                self._spawn(slot, module, use_cuda)

    def start_on_meta(self, modules: list[str]) -> None:
        """Workers for the calls on `meta` of `modules`, asked for now where the zygote has not said yet
        that its workers can make them: it forks these once it has loaded what such calls import, while
        the first tests run. Elsewhere (a judge's later grades) each module's one worker makes them."""
        if self.zygote.meta_ready:
            return
        for module in modules:
            slot = self._slot(module, False, for_meta=True)
            if slot.sock is None and slot.import_failure is None and f"{module}.py" in self.student_files:
                self._spawn(slot, module, use_cuda=False, on_meta=True)

    def _spawn(self, slot: _Slot, module: str, use_cuda: bool, on_meta: bool = False) -> None:
        spec = WorkerSpec(
            module=module,
            scratch=self._prepare_scratch(),
            use_cuda=use_cuda,
            masked=self.masked,
            observe_dispatch=self.observed_modules is None or module in self.observed_modules,
            on_meta=on_meta,
        )
        slot.spawning = self.zygote.spawn_soon(spec)
        slot.pid, slot.sock, slot.use_cuda = None, slot.spawning.sock, use_cuda
        slot.ready = slot.sandboxed = False

    def _forked(self, slot: _Slot) -> None:
        """Read the zygote's answer for the slot's worker; the limits of its start run from its fork."""
        if slot.spawning is None:
            return
        forked = self.zygote.spawned(slot.spawning)
        slot.pid, slot.meta_ready, slot.spawning = forked.pid, forked.meta_ready, None
        slot.device_deadline = forked.at + self.limits.cuda_start_seconds if slot.use_cuda else None
        slot.import_deadline = forked.at + self.limits.import_seconds

    def _await_sandbox(self, slot: _Slot) -> None:
        """A worker first says that its sandbox is in place, before it runs any student code: until
        then, an end or a wait past the import limit is the machine's doing, not the student's."""
        assert slot.sock is not None
        try:
            header, _ = wire.recv_message(slot.sock, slot.import_deadline, 1 << 20)
        except wire.ChannelTimeout:
            detail = f"it was not in place within the import limit ({self.limits.import_seconds:g} s)"
        except (wire.ChannelClosed, wire.ProtocolError):
            ended = self._exit_of(slot) or {}
            detail = "the worker ended first (" + ", ".join(f"{key} {value}" for key, value in ended.items()) + ")"
        else:
            if header.get("status") == "sandboxed":
                slot.sandboxed = True
                return
            detail = f"the worker said {str(header.get('status'))[:100]!r} first"
        self._kill(slot)
        self._sandbox_failure = SandboxFailed(detail)
        raise self._sandbox_failure

    def _await_device(self, slot: _Slot) -> None:
        """A CUDA worker next says whether CUDA started; only then does its import limit run."""
        assert slot.sock is not None
        assert slot.device_deadline is not None
        try:
            header, _ = wire.recv_message(slot.sock, slot.device_deadline, 1 << 20)
        except wire.ChannelTimeout:
            detail = f"CUDA did not start within {self.limits.cuda_start_seconds:g} s"
        except (wire.ChannelClosed, wire.ProtocolError) as exc:
            detail = f"the worker ended while starting CUDA ({exc})"
        else:
            if header.get("status") == "device_ready":
                slot.device_deadline = None
                slot.import_deadline = time.monotonic() + self.limits.import_seconds
                return
            detail = str(header.get("message", ""))[: wire.MAX_TEXT]
        self._kill(slot)
        self._device_failure = DeviceUnavailable(detail)
        raise self._device_failure

    def _ensure_worker(self, module: str, use_cuda: bool, on_meta: bool = False) -> _Slot:
        slot = self._slot(module, use_cuda, for_meta=on_meta and (module, use_cuda, True) in self._slots)
        if slot.import_failure is not None:
            raise slot.import_failure
        if self._sandbox_failure is not None:
            raise self._sandbox_failure
        if use_cuda and self._device_failure is not None:
            raise self._device_failure
        if on_meta and slot.sock is not None:
            self._forked(slot)
            if not slot.meta_ready:
                # Forked before the zygote loaded what ops on `meta` import: it would import that
                # itself, in the time of the call. A worker forked since takes its place, uncharged.
                self._kill(slot)
        if slot.ready:
            return slot
        if slot.sock is None:
            if f"{module}.py" not in self.student_files:
                slot.import_failure = ImportFailure(module, "missing")
                raise slot.import_failure
            self._spawn(slot, module, use_cuda, on_meta)
        self._forked(slot)
        if not slot.sandboxed:
            self._await_sandbox(slot)
        if slot.device_deadline is not None:
            self._await_device(slot)
        assert slot.sock is not None
        try:
            header, _ = wire.recv_message(slot.sock, slot.import_deadline, 1 << 20)
        except wire.ChannelTimeout:
            self._kill(slot)
            slot.import_failure = ImportFailure(module, "timeout")
        except wire.ChannelClosed:
            slot.import_failure = ImportFailure(module, "exited", exit=self._exit_of(slot))
        except wire.ProtocolError:
            self._kill(slot)
            slot.import_failure = ImportFailure(module, "protocol")
        else:
            if header.get("status") == "ready":
                slot.ready = True
                return slot
            report = _report(header)
            self._kill(slot)
            slot.import_failure = ImportFailure(module, "raised", report=report)
        raise slot.import_failure

    def _kill(self, slot: _Slot) -> None:
        self._forked(slot)
        if slot.pid is not None:
            self.zygote.kill(slot.pid)
        if slot.sock is not None:
            slot.sock.close()
        slot.pid, slot.sock, slot.ready = None, None, False

    def _exit_of(self, slot: _Slot) -> dict[str, Any] | None:
        """How a worker that closed its channel ended: asked before killing it, so that a crash is
        reported as itself and not as the kill that follows; a worker still alive is killed."""
        pid = slot.pid
        if pid is None:
            return None
        ended = self.zygote.exit_status(pid, timeout=1.0)
        self._kill(slot)
        return ended if ended is not None else self.zygote.exit_status(pid)

    def close(self) -> None:
        for slot in self._slots.values():
            self._kill(slot)
        self.strays += self.zygote.sweep()
        shutil.rmtree(self._scratch, onerror=_force_remove)

    # -- requests
    def request(
        self,
        module: str,
        function: str,
        header: dict[str, Any],
        buffers: list[bytes],
        use_cuda: bool = False,
        timeout: float | None = None,
        on_meta: bool = False,
    ) -> tuple[dict[str, Any], list[bytes]]:
        """Send one request to the worker of `module`; return its reply, or raise a StudentFailure."""
        strikes = self._strikes.get(function, 0)
        if strikes >= self.limits.strikes:
            raise Benched(function, strikes)
        slot = self._ensure_worker(module, use_cuda, on_meta)
        seconds = (timeout or self.limits.call_seconds) * OBSERVED_SLOWDOWN
        assert slot.sock is not None
        deadline = time.monotonic() + seconds
        try:
            wire.send_message(slot.sock, header, buffers, deadline)
            reply, reply_buffers = wire.recv_message(slot.sock, deadline, self.limits.result_mb * MIB)
        except wire.ChannelTimeout:
            self._kill(slot)
            self._strikes[function] = strikes + 1
            raise CallTimeout(function, seconds) from None
        except wire.ChannelClosed:
            raise WorkerDied(function, self._exit_of(slot)) from None
        except wire.ProtocolError as exc:
            self._kill(slot)
            raise BadReply(function, str(exc)) from None
        status = reply.get("status")
        if status == "raised":
            raise CallRaised(str(reply.get("stage", "call"))[:40], _report(reply))
        if status != "ok":
            self._kill(slot)
            raise BadReply(function, "reply without a status")
        return reply, reply_buffers


OBSERVED_SLOWDOWN = 2.0
"""Every call runs under the rule's recorder (autograder.sandbox.observer), which makes operator-heavy
code several times slower (benchmarks/rule_overhead.py): a call's deadline allows for it, so that the
grader's own cost is not charged to the student as slowness."""


def _report(header: dict[str, Any]) -> dict[str, str]:
    """The error report of a worker, reduced to bounded text fields."""
    keys = ("exc_type", "message", "traceback", "printed", "raised_by_student", "raised_in", "notable")
    return {key: str(header.get(key, ""))[: wire.MAX_TEXT] for key in keys}


def _force_remove(function: Any, path: str, _exc_info: Any) -> None:
    """rmtree helper: a submission may have made its files read-only; make them writable and retry."""
    parent = os.path.dirname(path)
    os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR | stat.S_IXUSR)
    if os.path.isdir(path) and not os.path.islink(path):
        os.chmod(path, 0o700)
        shutil.rmtree(path, onerror=_force_remove)
    else:
        function(path)
