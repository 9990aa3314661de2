"""What the fork server reads of its workers in /proc, and how it signals them.

Memory is measured per process tree (RLIMIT_AS bounds one process, not a flock of them), and
processes are found by parent, because a submission may fork, detach or double-fork.
"""

from __future__ import annotations

import os
import re
import signal

_RESIDENT = re.compile(rb"^(?:RssAnon|RssShmem):\s+(\d+)", re.MULTILINE)
_CHILDREN_FILES = os.path.exists(f"/proc/self/task/{os.getpid()}/children")
"""Whether this kernel lists each task's children (CONFIG_PROC_CHILDREN, in every common distribution)."""


def open_pidfd(pid: int) -> int | None:
    """A descriptor that names `pid` for good (no reuse race), or None where the kernel has none."""
    try:
        return os.pidfd_open(pid)
    except (OSError, AttributeError):
        return None


def send_signal(pid: int, pidfd: int | None, signum: int) -> None:
    """Signal `pid` through its pidfd when there is one; a process already gone is no error."""
    try:
        if pidfd is not None:
            signal.pidfd_send_signal(pidfd, signum)
        else:
            os.kill(pid, signum)
    except ProcessLookupError:
        pass


def resident_bytes(pid: int) -> int:
    """Bytes of anonymous and shared memory `pid` holds in RAM: what it allocated itself (file-backed
    pages, which the kernel can drop, are left out; pages still shared with the zygote count)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            return sum(int(kb) for kb in _RESIDENT.findall(handle.read())) * 1024
    except OSError:
        return 0


def children_of(parent: int) -> list[int]:
    """Direct children of `parent` (orphans re-parented to it included): from the children files of
    its tasks where the kernel has them (cost: its own threads), else from every process's stat."""
    if _CHILDREN_FILES:
        return _children_from_tasks(parent)
    return _children_from_stat(parent)


def _children_from_tasks(parent: int) -> list[int]:
    found: list[int] = []
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


def _children_from_stat(parent: int) -> list[int]:
    found: list[int] = []
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


def process_tree(root: int) -> list[int]:
    """`root` and all its descendants."""
    found: list[int] = []
    queue = [root]
    while queue:
        pid = queue.pop()
        if pid not in found:
            found.append(pid)
            queue.extend(children_of(pid))
    return found


def memfd_bytes(pids: list[int]) -> int:
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
