"""Kernel-level isolation of a worker: namespaces, mounts, resource limits, an unprivileged user.

Each layer is applied when the system allows it; `Isolation.detect()` finds out once which ones do, and
the report states which were active. Nothing here is imported by student code: the zygote applies it
in the freshly forked child before the student's module is imported.
"""

from __future__ import annotations

import ctypes
import os
import resource
from dataclasses import dataclass

from autograder.sandbox.limits import MIB, Limits

_libc = ctypes.CDLL(None, use_errno=True)

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
NAMESPACES = CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38

NOBODY = 65534
WORKER_UID_BASE = 1_000_000
"""Workers of a grader running as root get uid WORKER_UID_BASE + the judge's pid: unique while it lives."""

VIEW_ROOT = "/tmp/submission"
"""Where a namespaced worker sees its scratch folder."""


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def prctl(option: int, value: int) -> None:
    _check(_libc.prctl(option, value, 0, 0, 0), f"prctl({option})")


def unshare(flags: int) -> None:
    _check(_libc.unshare(flags), "unshare")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None) -> None:
    _check(
        _libc.mount(
            None if source is None else source.encode(),
            target.encode(),
            None if fstype is None else fstype.encode(),
            flags,
            None if data is None else data.encode(),
        ),
        f"mount {target}",
    )


def _uid_mappable(uid: int) -> bool:
    try:
        with open("/proc/self/uid_map") as handle:
            for line in handle:
                inside, _, count = (int(part) for part in line.split())
                if inside <= uid < inside + count:
                    return True
    except (OSError, ValueError):
        return False
    return False


def _namespaces_work() -> bool:
    """Try the namespaces in a throw-away child: containers often forbid them."""
    pid = os.fork()
    if pid == 0:
        try:
            unshare(NAMESPACES)
            mount(None, "/", None, MS_REC | MS_PRIVATE, None)
            mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m")
        except OSError:
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def count_tasks_of(uid: int) -> int:
    """Processes and threads owned by `uid` now: RLIMIT_NPROC counts them all."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid == uid:
                total += len(os.listdir(f"/proc/{entry}/task"))
        except OSError:
            continue
    return total


@dataclass(frozen=True)
class Isolation:
    """Which isolation layers this machine allows, found once when the zygote starts."""

    as_root: bool
    namespaces: bool
    worker_uid: int
    worker_gid: int
    process_base: int
    """Tasks the worker's user already holds; RLIMIT_NPROC is set this much above Limits.processes."""

    @classmethod
    def detect(cls, judge_pid: int, use_namespaces: bool = True) -> Isolation:
        as_root = os.geteuid() == 0
        if as_root:
            uid = WORKER_UID_BASE + judge_pid
            if not _uid_mappable(uid):
                uid = NOBODY
            return cls(
                as_root=True,
                namespaces=use_namespaces and _namespaces_work(),
                worker_uid=uid,
                worker_gid=uid,
                process_base=0 if uid != NOBODY else count_tasks_of(uid),
            )
        return cls(
            as_root=False,
            namespaces=False,
            worker_uid=os.getuid(),
            worker_gid=os.getgid(),
            process_base=count_tasks_of(os.getuid()),
        )

    def layers(self) -> list[str]:
        """Names of the active layers, for the report."""
        names = ["process group", "resource limits", "scratch folder", "clean environment"]
        if self.as_root:
            names.append(f"unprivileged user (uid {self.worker_uid})")
        if self.namespaces:
            names += ["private mounts (kit, output and /tmp hidden)", "own process tree", "no network"]
        return names

    @property
    def dedicated_uid(self) -> bool:
        """True when no process but this judge's workers runs under worker_uid."""
        return self.as_root and self.worker_uid != NOBODY


def _closed_ancestors(paths: list[str]) -> dict[str, set[str]]:
    """For each directory others cannot enter on the way to `paths`: the children that lead there."""
    closed: dict[str, set[str]] = {}
    for path in paths:
        parts = os.path.realpath(path).strip("/").split("/")
        for depth in range(1, len(parts)):
            ancestor = "/" + "/".join(parts[:depth])
            try:
                if not os.stat(ancestor).st_mode & 0o001:
                    closed.setdefault(ancestor, set()).add(parts[depth])
                    break
            except OSError:
                break
    return closed


def open_the_way(paths: list[str]) -> None:
    """Make `paths` reachable for an unprivileged worker (e.g. Python under a 0700 /root).

    A directory others cannot enter is covered, in this mount namespace only, by an empty tmpfs
    anyone may enter, into which the needed children are bind-mounted back: the rest stays hidden.
    """
    for ancestor, children in _closed_ancestors(paths).items():
        keep = {child: os.open(os.path.join(ancestor, child), os.O_PATH) for child in children}
        mount("tmpfs", ancestor, "tmpfs", MS_NOSUID | MS_NODEV, "size=4k,mode=0755")
        for child, fd in keep.items():
            target = os.path.join(ancestor, child)
            if os.path.isdir(f"/proc/self/fd/{fd}"):
                os.mkdir(target)
            else:
                open(target, "w").close()
            mount(f"/proc/self/fd/{fd}", target, None, MS_BIND | MS_REC, None)
            os.close(fd)


def enter_namespaces(scratch: str, masked: list[str], needed: list[str]) -> None:
    """In the worker's first child: own mounts, processes and network; hide the kit and the outputs.

    `needed` are the paths the worker must still read (the Python installation). The caller must
    fork once more: the new process-id namespace applies to children only.
    """
    unshare(NAMESPACES)
    mount(None, "/", None, MS_REC | MS_PRIVATE, None)
    open_the_way(needed)
    scratch_fd = os.open(scratch, os.O_PATH | os.O_DIRECTORY)
    for path in masked:
        if os.path.isdir(path):
            mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k")
        elif os.path.isfile(path):
            mount("/dev/null", path, None, MS_BIND, None)
    for path in ("/tmp", "/var/tmp", "/dev/shm"):
        if os.path.isdir(path):
            mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777")
    os.makedirs(VIEW_ROOT, exist_ok=True)
    mount(f"/proc/self/fd/{scratch_fd}", VIEW_ROOT, None, MS_BIND, None)
    os.close(scratch_fd)


def mount_own_proc() -> None:
    """In the process that is pid 1 of the new namespace: a /proc that shows only the worker's tree."""
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)


def apply_limits(limits: Limits, isolation: Isolation, use_cuda: bool) -> None:
    """Resource limits for the worker and everything it starts."""

    def cap(kind: int, value: int) -> None:
        _soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, value))

    if not use_cuda:
        # The CUDA driver reserves far more address space than it uses; GPU workers go without.
        cap(resource.RLIMIT_AS, limits.memory_mb * MIB)
    cap(resource.RLIMIT_NPROC, isolation.process_base + limits.processes)
    cap(resource.RLIMIT_FSIZE, limits.file_mb * MIB)
    cap(resource.RLIMIT_CPU, limits.cpu_seconds)
    cap(resource.RLIMIT_NOFILE, limits.open_files)
    cap(resource.RLIMIT_CORE, 0)


def drop_privileges(isolation: Isolation) -> None:
    """Become the worker's user for good; a no-op when the grader is not root."""
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    if not isolation.as_root:
        return
    os.setgroups([])
    os.setresgid(isolation.worker_gid, isolation.worker_gid, isolation.worker_gid)
    os.setresuid(isolation.worker_uid, isolation.worker_uid, isolation.worker_uid)


def kill_all_of_user(uid: int) -> None:
    """SIGKILL every process of `uid`, however it detached: kill(-1) as that user reaches them all."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setresuid(uid, uid, uid)
            os.kill(-1, 9)
        except OSError:
            pass
        os._exit(0)
    os.waitpid(pid, 0)
