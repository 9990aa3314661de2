"""The fork server: a process that has imported torch but never computed, and forks the workers.

A process that has run a multi-threaded torch op, or touched CUDA, cannot fork a usable child. The
judge computes references, so it forks this zygote first thing and asks it for every worker. The
zygote is also the child subreaper of everything a worker starts, so nothing a submission forks,
detaches or double-forks outlives `sweep()`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import signal
import socket
import sys
import time
import traceback
from dataclasses import asdict, dataclass, field
from typing import Any

from autograder.sandbox import isolation as iso
from autograder.sandbox.limits import MIB, Limits

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

CLEAN_ENV_KEYS = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES")


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


def _send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode() + b"\n"
    if fds:
        socket.send_fds(sock, [data], fds)
    else:
        sock.sendall(data)


def _recv(sock: socket.socket, timeout: float | None = None) -> tuple[dict[str, Any], list[int]]:
    sock.settimeout(timeout)
    data, fds, _, _ = socket.recv_fds(sock, 1 << 16, 4)
    if not data:
        raise EOFError("zygote channel closed")
    while not data.endswith(b"\n"):
        more = sock.recv(1 << 16)
        if not more:
            raise EOFError("zygote channel closed")
        data += more
    return json.loads(data), fds


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (OSError, AttributeError):
        return None


def _signal(pid: int, pidfd: int | None, signum: int) -> None:
    try:
        if pidfd is not None:
            signal.pidfd_send_signal(pidfd, signum)
        else:
            os.kill(pid, signum)
    except ProcessLookupError:
        pass


# ----------------------------------------------------------------------------- inside a worker


def python_paths() -> list[str]:
    """Where this Python finds its modules: a worker must still be able to import from there."""
    return sorted({sys.prefix, sys.base_prefix, *(p for p in sys.path if p and os.path.isdir(p))})


def python_installation() -> list[str]:
    """The Python installation alone: its prefixes and site-packages folders, not the other entries of
    sys.path (the grader's working folder, the kit), which a confined worker may not read."""
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    packages = {p for p in sys.path if p and os.path.basename(p.rstrip("/")) in ("site-packages", "dist-packages")}
    return sorted(p for p in prefixes | packages if os.path.isdir(p))


def warm_up() -> None:
    """Run, once, what grading runs, so that the modules torch loads lazily are loaded here.

    A loop's backward pulls in sympy, the first op on `meta` about 800 modules: paid once in the
    zygote instead of in every worker. Threads are pinned to one first, so forking stays safe.
    """
    import torch

    torch.set_num_threads(1)
    for device in ("cpu", "meta"):
        X = torch.ones(3, 3, device=device, requires_grad=device == "cpu")
        K = torch.ones(2, 2, device=device)
        Y = torch.zeros((2, 2), dtype=X.dtype, device=device)
        for i in range(2):
            for j in range(2):
                Y[i, j] = (X[i : i + 2, j : j + 2] * K).sum()
        if device == "cpu":
            Y.backward(torch.ones(2, 2))
    layer = torch.nn.Conv2d(1, 1, (1, 2), bias=False)
    loss = (layer(torch.ones(1, 1, 2, 3)) ** 2).sum()
    layer.zero_grad()
    loss.backward()
    with torch.no_grad():
        layer.weight -= 0.1 * layer.weight.grad


def _become_worker(spec: WorkerSpec, sock: socket.socket, root: str, isolation: iso.Isolation, limits: Limits) -> None:
    """The last steps before student code: limits, user, Landlock, descriptors, environment, then serve."""
    from autograder.sandbox import worker

    work = os.path.join(root, "work")
    os.chdir(work)
    iso.apply_limits(limits, isolation, spec.use_cuda)
    iso.drop_privileges(isolation)
    if isolation.landlock:
        readable = [*python_installation(), *iso.SYSTEM_DIRS, os.path.join(root, "src")]
        hidden = [*spec.masked, root]
        writable = [work, "/tmp"] if isolation.namespaces else [work]
        iso.confine(isolation.landlock, [p for p in readable if not _holds_any(p, hidden)], writable, spec.use_cuda)
    # Nothing inherited but the channel: no descriptor of the zygote's (pidfds of other workers, ...).
    os.closerange(3, sock.fileno())
    os.closerange(sock.fileno() + 1, limits.open_files)
    kept = {key: os.environ[key] for key in CLEAN_ENV_KEYS if key in os.environ}
    if not spec.use_cuda:
        # A CPU worker sees no GPU, as on a machine without one: code that hard-codes "cuda" fails
        # the same way everywhere, and cannot take GPU memory from the CUDA workers.
        kept["CUDA_VISIBLE_DEVICES"] = ""
    os.environ.clear()
    os.environ.update(kept, HOME=os.getcwd(), TMPDIR=os.getcwd(), OMP_NUM_THREADS="1")
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    sys.dont_write_bytecode = True
    import torch

    torch.set_num_threads(1)
    src = os.path.join(root, "src")
    worker.serve(sock, src, spec.module, limits.result_mb * MIB, limits.output_kb * 1024, spec.use_cuda)


def _holds_any(folder: str, paths: list[str]) -> bool:
    """True when one of `paths` is `folder` itself or lies beneath it."""
    return any(path == folder or path.startswith(folder.rstrip("/") + "/") for path in paths)


def _run_worker_branch(
    spec: WorkerSpec, sock: socket.socket, report: socket.socket, isolation: iso.Isolation, limits: Limits
) -> None:
    """Runs in the zygote's fresh child; never returns."""
    status = 70
    try:
        os.setsid()
        iso.prctl(iso.PR_SET_PDEATHSIG, signal.SIGKILL)
        if not isolation.namespaces:
            _send(report, {"inner": os.getpid()})
            report.close()
            _become_worker(spec, sock, spec.scratch, isolation, limits)
            status = 0
        else:
            owner = (isolation.worker_uid, isolation.worker_gid)
            iso.enter_namespaces(spec.scratch, spec.masked, python_paths(), owner, limits.scratch_mb)
            inner = os.fork()
            if inner == 0:
                report.close()
                iso.prctl(iso.PR_SET_PDEATHSIG, signal.SIGKILL)
                iso.mount_own_proc()
                _become_worker(spec, sock, iso.VIEW_ROOT, isolation, limits)
                os._exit(0)
            sock.close()
            pidfd = _pidfd(inner)
            _send(report, {"inner": inner}, [pidfd] if pidfd is not None else None)
            report.close()
            while True:
                try:
                    _, wait_status = os.waitpid(inner, 0)
                    break
                except ChildProcessError:
                    os._exit(70)
            status = 128 + os.WTERMSIG(wait_status) if os.WIFSIGNALED(wait_status) else os.WEXITSTATUS(wait_status)
    finally:
        os._exit(status)


# ----------------------------------------------------------------------------- the zygote loop


WATCH_SECONDS = 0.05
"""How often, while workers live, the zygote measures their memory and looks for escaped processes."""


@dataclass
class _Child:
    pid: int
    pidfd: int | None
    inner: int
    inner_pidfd: int | None
    use_cuda: bool = False
    status: ExitStatus | None = None
    stopped_for: str | None = None


_RESIDENT = re.compile(rb"^(?:RssAnon|RssShmem):\s+(\d+)", re.MULTILINE)
_CHILDREN_FILES = os.path.exists(f"/proc/self/task/{os.getpid()}/children")
"""Whether this kernel lists each task's children (CONFIG_PROC_CHILDREN, in every common distribution)."""


def _resident(pid: int) -> int:
    """Bytes of anonymous and shared memory `pid` holds in RAM: what it allocated itself (file-backed
    pages, which the kernel can drop, are left out; pages still shared with the zygote count)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            return sum(int(kb) for kb in _RESIDENT.findall(handle.read())) * 1024
    except OSError:
        return 0


def _children_of(parent: int) -> list[int]:
    """Direct children of `parent` (orphans re-parented to it included): from the children files of
    its tasks where the kernel has them (cost: its own threads), else from every process's stat."""
    if _CHILDREN_FILES:
        found = []
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            return []
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children", "rb") as handle:
                    found += [int(pid) for pid in handle.read().split()]
            except OSError:
                continue
        return found
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat.rsplit(b")", 1)[-1].split()
        if len(fields) > 1 and int(fields[1]) == parent:
            found.append(int(entry))
    return found


def _tree(root: int) -> list[int]:
    """`root` and all its descendants."""
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        if pid not in found:
            found.append(pid)
            queue.extend(_children_of(pid))
    return found


def _memfd_bytes(pids: list[int]) -> int:
    """Memory held in memfd files open in `pids` (each file once): in no address space, so no RSS."""
    seen: dict[tuple[int, int], int] = {}
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("/memfd:"):
                    info = os.stat(f"/proc/{pid}/fd/{fd}")
                    seen[(info.st_dev, info.st_ino)] = info.st_blocks * 512
            except OSError:
                continue
    return sum(seen.values())


class _ZygoteServer:
    def __init__(self, sock: socket.socket, isolation: iso.Isolation, limits: Limits) -> None:
        self.sock = sock
        self.isolation = isolation
        self.limits = limits
        self.children: dict[int, _Child] = {}

    def _wait_for_request(self) -> None:
        """Block until the judge writes; meanwhile, while workers live, watch them."""
        while True:
            live = any(child.status is None for child in self.children.values())
            ready, _, _ = select.select([self.sock], [], [], WATCH_SECONDS if live else None)
            if ready:
                return
            self.watch()

    def watch(self) -> None:
        """Stop a worker whose processes together hold more memory than allowed (RLIMIT_AS bounds
        each process, not a flock of them), and kill processes that left their worker's tree."""
        self._reap()
        known = {pid for child in self.children.values() for pid in (child.pid, child.inner)}
        for stray in _children_of(os.getpid()):
            if stray not in known:
                for pid in _tree(stray):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
        for child in self.children.values():
            if child.status is not None or child.stopped_for is not None:
                continue
            members = _tree(child.inner)
            used = sum(_resident(pid) for pid in members) + _memfd_bytes(members)
            allowed = self.limits.memory_mb + (self.limits.cuda_host_mb if child.use_cuda else 0)
            if used > allowed * MIB:
                child.stopped_for = "memory"
                self.kill(child.pid)

    def serve(self) -> None:
        while True:
            try:
                self._wait_for_request()
                message, fds = _recv(self.sock)
            except (EOFError, ConnectionError, OSError):
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
            _send(self.sock, reply)
        except (BrokenPipeError, ConnectionResetError):
            return False
        return True

    def spawn(self, spec: WorkerSpec, worker_fd: int) -> dict[str, Any]:
        worker_sock = socket.socket(fileno=worker_fd)
        report_here, report_there = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            self.sock.close()
            report_here.close()
            _run_worker_branch(spec, worker_sock, report_there, self.isolation, self.limits)
        worker_sock.close()
        report_there.close()
        child = _Child(pid=pid, pidfd=_pidfd(pid), inner=pid, inner_pidfd=None, use_cuda=spec.use_cuda)
        self.children[pid] = child
        try:
            message, fds = _recv(report_here, timeout=10)
            child.inner = message["inner"]
            child.inner_pidfd = fds[0] if fds else None
        except (EOFError, OSError, ValueError):
            pass
        report_here.close()
        return {"pid": pid}

    def kill(self, pid: int) -> dict[str, Any]:
        child = self.children.get(pid)
        if child is not None and child.status is None:
            if child.inner != child.pid:
                _signal(child.inner, child.inner_pidfd, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.pid, signal.SIGKILL)
            _signal(child.pid, child.pidfd, signal.SIGKILL)
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
                child.status = ExitStatus.from_wait(wait_status, child.inner != child.pid, child.stopped_for)
                for fd in (child.pidfd, child.inner_pidfd):
                    if fd is not None:
                        os.close(fd)
                child.pidfd = child.inner_pidfd = None

    def sweep(self) -> dict[str, Any]:
        """Kill every worker and everything they left behind; report how many strays were found."""
        for pid in list(self.children):
            self.kill(pid)
        if self.isolation.dedicated_uid:
            iso.kill_all_of_user(self.isolation.worker_uid)
        strays = 0
        for _ in range(50):
            known = {pid for c in self.children.values() for pid in (c.pid, c.inner)}
            orphans = [pid for pid in _children_of(os.getpid()) if pid not in known]
            for pid in orphans:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            strays += len(orphans)
            self._reap()
            if not _children_of(os.getpid()):
                break
            time.sleep(0.01)
        self.children = {pid: c for pid, c in self.children.items() if c.status is None}
        return {"strays": strays}


def _zygote_main(sock: socket.socket, isolation: iso.Isolation, limits: Limits) -> None:
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
    warm_up()
    # No parent-death signal here: when the judge dies, its end of the socket closes and the
    # zygote sweeps before it exits, so nothing a submission started is left behind.
    iso.prctl(iso.PR_SET_CHILD_SUBREAPER, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _ZygoteServer(sock, isolation, limits).serve()


# ----------------------------------------------------------------------------- judge side


ZYGOTE_CRASHED = 70
"""The fork server's exit status when it died of an exception (EX_SOFTWARE)."""


class ZygoteLost(RuntimeError):
    """The fork server died or stopped answering; the judge cannot start workers any more."""


class Zygote:
    """Judge-side handle of the fork server."""

    def __init__(self, pid: int, sock: socket.socket, isolation: iso.Isolation, limits: Limits) -> None:
        self.pid = pid
        self.sock = sock
        self.isolation = isolation
        self.limits = limits

    @classmethod
    def start(cls, limits: Limits, use_namespaces: bool = True) -> Zygote:
        """Fork the zygote. Call before this process runs any torch computation or touches CUDA."""
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
            status = ZYGOTE_CRASHED
            try:
                _zygote_main(there, isolation, limits)
                status = 0
            except BaseException:  # noqa: BLE001 - the forked child must never return into the judge's code
                # Said where the operator looks (the grader's stderr): the judge then reports the
                # fork server as lost, and the grading as failed.
                print("autograder: the worker fork server crashed:", file=sys.stderr)
                traceback.print_exc()
            finally:
                sys.stderr.flush()
                os._exit(status)
        there.close()
        return cls(pid, here, isolation, limits)

    def _ask(self, message: dict[str, Any], fds: list[int] | None = None, timeout: float = 30) -> dict[str, Any]:
        try:
            _send(self.sock, message, fds)
            reply, _ = _recv(self.sock, timeout)
        except (OSError, EOFError, ValueError) as exc:
            raise ZygoteLost(f"the worker fork server stopped answering ({exc})") from exc
        return reply

    def spawn(self, spec: WorkerSpec) -> tuple[int, socket.socket]:
        mine, theirs = socket.socketpair()
        try:
            reply = self._ask({"op": "spawn", "spec": asdict(spec)}, [theirs.fileno()])
        finally:
            theirs.close()
        return reply["pid"], mine

    def kill(self, pid: int) -> None:
        self._ask({"op": "kill", "pid": pid})

    def exit_status(self, pid: int, timeout: float = 2.0) -> dict[str, Any] | None:
        return self._ask({"op": "status", "pid": pid, "timeout": timeout}, timeout=timeout + 30)["exit"]

    def sweep(self) -> int:
        return self._ask({"op": "sweep"}, timeout=60)["strays"]

    def close(self) -> None:
        with contextlib.suppress(ZygoteLost):
            self._ask({"op": "exit"}, timeout=5)
        self.sock.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
