"""Kernel-level isolation of a worker: namespaces, mounts, resource limits, an unprivileged user.

Each layer is applied when the system allows it; `Isolation.detect()` finds out once which ones do, and
the report states which were active. Nothing here is imported by student code: the zygote applies it
in the freshly forked child before the student's module is imported.
"""

from __future__ import annotations

import ctypes
import errno
import glob
import os
import re
import resource
import stat
import struct
from dataclasses import dataclass

from autograder.sandbox.limits import MIB, Limits

_libc = ctypes.CDLL(None, use_errno=True)

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
NAMESPACES = CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET
PRIVATE_VIEW = CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET
"""What a worker unshares itself: its process-id namespace is made by its fork (ProcessNamespaces)."""

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_NOATIME = 1024
MS_NODIRATIME = 2048
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MS_RELATIME = 1 << 21
MS_STRICTATIME = 1 << 24
_MOUNT_OPTIONS = {
    "nosuid": MS_NOSUID,
    "nodev": MS_NODEV,
    "noexec": MS_NOEXEC,
    "noatime": MS_NOATIME,
    "nodiratime": MS_NODIRATIME,
    "relatime": MS_RELATIME,
    "strictatime": MS_STRICTATIME,
}

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


def setns(fd: int, kind: int) -> None:
    _check(_libc.setns(fd, kind), "setns")


class ProcessNamespaces:
    """Forks children each as the first process (pid 1) of a process-id namespace of its own.

    `unshare(CLONE_NEWPID)` gives the caller's next child a new namespace, and later children the
    same one; going back to the caller's own namespace (`setns`) after each fork lets the next
    `unshare` make a fresh one again. One fork per worker, where a child that unshares for itself
    needs a second fork, of a process as large as the zygote, to have a process in the namespace.
    """

    def __init__(self) -> None:
        self.own = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)

    def fork(self) -> int:
        unshare(CLONE_NEWPID)
        try:
            pid = os.fork()
        except OSError:
            setns(self.own, CLONE_NEWPID)
            raise
        if pid != 0:
            setns(self.own, CLONE_NEWPID)
        return pid


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
    """Try the namespaces in a throw-away child, and a return to its own process-id namespace
    (ProcessNamespaces): containers often forbid them."""
    pid = os.fork()
    if pid == 0:
        try:
            own = os.open("/proc/self/ns/pid", os.O_RDONLY)
            unshare(NAMESPACES)
            setns(own, CLONE_NEWPID)
            unshare(CLONE_NEWPID)
            mount(None, "/", None, MS_REC | MS_PRIVATE, None)
            freeze_mounts()
            mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m")
        except OSError:
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def landlock_works() -> int:
    """Try Landlock in a throw-away child (a kernel may offer it while a seccomp profile forbids it)."""
    abi = landlock_abi()
    if not abi:
        return 0
    pid = os.fork()
    if pid == 0:
        try:
            prctl(PR_SET_NO_NEW_PRIVS, 1)
            confine(abi, [], [])
        except OSError:
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    return abi if os.waitstatus_to_exitcode(status) == 0 else 0


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
    landlock: int = 0
    """The Landlock ABI used to confine workers (0: none): works without root, in most containers."""

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
                landlock=landlock_works(),
            )
        return cls(
            as_root=False,
            namespaces=False,
            worker_uid=os.getuid(),
            worker_gid=os.getgid(),
            process_base=count_tasks_of(os.getuid()),
            landlock=landlock_works(),
        )

    def layers(self) -> list[str]:
        """Names of the active layers, for the report."""
        names = ["process group", "resource limits", "memory watch", "scratch folder", "clean environment"]
        if self.as_root:
            names.append(f"unprivileged user (uid {self.worker_uid})")
        if self.namespaces:
            names += ["private read-only mounts (kit and output hidden)", "own process tree", "no network"]
        if self.landlock:
            scoped = ", no TCP" if self.landlock >= 4 else ""
            scoped += ", no signals out" if self.landlock >= 6 else ""
            names.append(f"Landlock ABI {self.landlock} (files{scoped})")
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


def _inside(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip("/") + "/")


def hide(path: str, keep: list[str]) -> None:
    """Cover `path` (a folder: an empty tmpfs; a file: /dev/null), then bind back the paths in `keep`
    beneath it: the kit's folder is hidden whole, but a Python installation inside it stays usable."""
    if os.path.isfile(path):
        mount("/dev/null", path, None, MS_BIND, None)
        return
    if not os.path.isdir(path):
        return
    beneath = [k for k in keep if _inside(k, path)]
    kept = [k for k in beneath if not any(_inside(k, other) for other in beneath)]
    fds = {k: os.open(k, os.O_PATH) for k in kept if os.path.exists(k)}
    mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64k,mode=0755")
    for target, fd in fds.items():
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            os.makedirs(target, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            open(target, "w").close()
        mount(f"/proc/self/fd/{fd}", target, None, MS_BIND | MS_REC, None)
        os.close(fd)


def _unescape(field: str) -> str:
    """Mount points in mountinfo escape space, tab, newline and backslash as octal."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def freeze_mounts() -> None:
    """Make every mount of this (private) mount namespace read-only, keeping its other flags.

    A bind remount changes this namespace's view only, never the filesystem itself. Mounts made
    afterwards (the worker's private /tmp and work folder) are the only places it can write.
    """
    with open("/proc/self/mountinfo") as handle:
        entries = [line.split(" - ")[0].split() for line in handle]
    for fields in entries:
        target, options = _unescape(fields[4]), fields[5].split(",")
        if "ro" in options:
            continue
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY
        for option in options:
            flags |= _MOUNT_OPTIONS.get(option, 0)
        try:
            mount(None, target, None, flags, None)
        except OSError as exc:
            # A mount hidden under another one (now unreachable by path, or reached as a
            # non-mount-point folder of the cover) needs no freezing: nothing can reach it.
            if exc.errno not in (errno.ENOENT, errno.EINVAL):
                raise


def _limit_ipc(size_mb: int) -> None:
    """System V shared memory and message queues of the new IPC namespace: held in no process's
    address space, so bounded here (to `size_mb` in all) rather than by the memory limit. Where
    /proc/sys is read-only (some containers), the namespace's defaults stay: it ends with the worker."""
    settings = {"shmmax": size_mb * MIB, "shmall": size_mb * MIB // os.sysconf("SC_PAGE_SIZE"), "shmmni": 16}
    settings["msgmni"] = 16
    for name, value in settings.items():
        try:
            with open(f"/proc/sys/kernel/{name}", "w") as handle:
                handle.write(str(value))
        except OSError as exc:
            if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise


def enter_namespaces(scratch: str, masked: list[str], needed: list[str], owner: tuple[int, int], size_mb: int) -> None:
    """In a worker forked as its namespace's pid 1: own mounts, IPC and network, and a /proc that shows
    only its own processes; hide the kit and the outputs.

    `needed` are the paths the worker must still read (the Python installation). Everything is then
    read-only but two private, size-limited tmpfs: /tmp (also seen as /var/tmp and /dev/shm) and the
    work folder, owned by `owner` (uid, gid).
    """
    unshare(PRIVATE_VIEW)
    mount(None, "/", None, MS_REC | MS_PRIVATE, None)
    _limit_ipc(size_mb)
    open_the_way(needed)
    needed_real = [os.path.realpath(p) for p in needed]
    scratch_fd = os.open(scratch, os.O_PATH | os.O_DIRECTORY)
    for path in masked:
        hide(path, needed_real)
    if os.path.isdir("/run"):
        hide("/run", [])
    freeze_mounts()
    # A Python installation under /tmp (a kit unpacked there) must stay readable under the private /tmp.
    kept_in_tmp = {p: os.open(p, os.O_PATH) for p in needed_real if _inside(p, "/tmp") and os.path.isdir(p)}
    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={size_mb}m,mode=1777")
    for target, fd in kept_in_tmp.items():
        os.makedirs(target, exist_ok=True)
        mount(f"/proc/self/fd/{fd}", target, None, MS_BIND | MS_REC, None)
        mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY, None)
        os.close(fd)
    for path in ("/var/tmp", "/dev/shm"):
        if os.path.isdir(path):
            mount("/tmp", path, None, MS_BIND, None)
    os.makedirs(VIEW_ROOT, exist_ok=True)
    mount(f"/proc/self/fd/{scratch_fd}", VIEW_ROOT, None, MS_BIND, None)
    os.close(scratch_fd)
    mount(None, VIEW_ROOT, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, None)
    uid, gid = owner
    work_options = f"size={size_mb}m,mode=0700,uid={uid},gid={gid}"
    mount("tmpfs", os.path.join(VIEW_ROOT, "work"), "tmpfs", MS_NOSUID | MS_NODEV, work_options)
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)


def close_to_others(paths: list[str], keep: list[str]) -> None:
    """Take away others' access (chmod o-rwx) to `paths`, for workers that only a user of their own
    separates from them: where a path holds one of `keep` (the Python installation, the scratch
    folder), to its other entries instead. Owner and group keep their access."""
    keep = [os.path.realpath(k) for k in keep]
    for path in paths:
        if path in keep or os.path.islink(path) or not os.path.exists(path):
            continue
        if any(_inside(k, path) for k in keep):
            if os.path.isdir(path):
                close_to_others([os.path.join(path, entry) for entry in os.listdir(path)], keep)
            continue
        mode = os.lstat(path).st_mode
        if mode & 0o007:
            os.chmod(path, stat.S_IMODE(mode) & ~0o007)


def _mapped_bytes() -> int:
    """The address space this process has mapped (/proc/self/statm counts it in pages)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def apply_limits(limits: Limits, isolation: Isolation, use_cuda: bool) -> None:
    """Resource limits for the worker and everything it starts."""

    def cap(kind: int, value: int) -> None:
        _soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, value))

    if not use_cuda:
        # The CUDA driver reserves far more address space than it uses; GPU workers go without.
        # On top of what the worker has mapped already: torch's libraries take 0.6 GB of the CPU
        # build, but 3 GB of PyPI's CUDA build, GPU or not.
        cap(resource.RLIMIT_AS, _mapped_bytes() + limits.memory_mb * MIB)
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


# ----------------------------------------------------------------------------- Landlock

_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
"""Landlock's system calls have the same numbers on every architecture Linux supports."""
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
FS_TRUNCATE, FS_IOCTL_DEV = 1 << 14, 1 << 15
_FS_RIGHTS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 4: (1 << 15) - 1}
"""Every filesystem right a Landlock ABI knows; from ABI 5 on, all 16."""
_NET_TCP_BIND_AND_CONNECT = 0b11
_SCOPE_ABSTRACT_UNIX_AND_SIGNAL = 0b11
_FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV
SYSTEM_DIRS = ("/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin", "/etc", "/proc", "/sys")
"""Read-only for a confined worker: shared libraries (CUDA's too), their configuration, /proc and /sys."""
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")
GPU_DEVICES = ("/dev/nvidia*", "/dev/nvidia-caps/*")
"""Opened by the CUDA driver: in reach of CUDA workers only."""


def _syscall(number: int, *args: bytes | int | None) -> int:
    """A raw system call; integers travel as C longs (syscall() is variadic)."""
    result: int = _libc.syscall(ctypes.c_long(number), *(ctypes.c_long(a) if isinstance(a, int) else a for a in args))
    return result


def landlock_abi() -> int:
    """The Landlock ABI version this kernel offers; 0 when it has none (or it is switched off)."""
    return max(0, _syscall(_SYS_CREATE_RULESET, None, 0, _CREATE_RULESET_VERSION))


def confine(abi: int, read: list[str], write: list[str], gpu: bool = False) -> None:
    """Landlock this process and its future children: read (and run) only beneath `read`, write only
    beneath `write`, use only the usual devices (and the GPU's, with `gpu`); from ABI 4 no TCP; from
    ABI 6 no signal to, and no abstract UNIX socket of, any process outside the sandbox.
    Unprivileged; needs no_new_privs."""
    fs_rights = _FS_RIGHTS_BY_ABI.get(abi, (1 << 16) - 1)
    attr = struct.pack(
        "=QQQ",
        fs_rights,
        _NET_TCP_BIND_AND_CONNECT if abi >= 4 else 0,
        _SCOPE_ABSTRACT_UNIX_AND_SIGNAL if abi >= 6 else 0,
    )[: 8 if abi < 4 else 16 if abi < 6 else 24]
    ruleset = _syscall(_SYS_CREATE_RULESET, attr, len(attr), 0)
    _check(min(ruleset, 0), "landlock_create_ruleset")
    reading = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR
    rules = [(path, reading) for path in read] + [(path, fs_rights) for path in write]
    rules.append(("/dev", FS_READ_FILE | FS_READ_DIR | FS_IOCTL_DEV))
    devices = FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE | FS_IOCTL_DEV
    patterns = DEVICES + (GPU_DEVICES if gpu else ())
    rules += [(device, devices) for pattern in patterns for device in glob.glob(pattern)]
    try:
        for path, rights in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            if not stat.S_ISDIR(os.fstat(fd).st_mode):
                rights &= _FILE_RIGHTS
            result = _syscall(_SYS_ADD_RULE, ruleset, _RULE_PATH_BENEATH, struct.pack("=Qi", rights & fs_rights, fd), 0)
            os.close(fd)
            _check(result, f"landlock_add_rule {path}")
        _check(_syscall(_SYS_RESTRICT_SELF, ruleset, 0), "landlock_restrict_self")
    finally:
        os.close(ruleset)


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
