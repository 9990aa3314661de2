"""A worker's first steps, in the fork server's fresh child: namespaces, limits, user, Landlock,
descriptors and environment, in that order, and only then the student's module."""

from __future__ import annotations

import os
import signal
import socket
import sys

from autograder.sandbox import isolation as iso
from autograder.sandbox.control import WorkerSpec
from autograder.sandbox.limits import MIB, Limits

CLEAN_ENV_KEYS = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES")

SOFTWARE_ERROR = 70
"""A worker's exit status when it could not become one (EX_SOFTWARE): the sandbox failed, not the student."""


def python_paths() -> list[str]:
    """Where this Python finds its modules: a worker must still be able to import from there."""
    return sorted({sys.prefix, sys.base_prefix, *(p for p in sys.path if p and os.path.isdir(p))})


def python_installation() -> list[str]:
    """The Python installation alone: its prefixes and site-packages folders, not the other entries of
    sys.path (the grader's working folder, the kit), which a confined worker may not read."""
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    packages = {p for p in sys.path if p and os.path.basename(p.rstrip("/")) in ("site-packages", "dist-packages")}
    return sorted(p for p in prefixes | packages if os.path.isdir(p))


def run_worker(spec: WorkerSpec, sock: socket.socket, isolation: iso.Isolation, limits: Limits) -> None:
    """Runs in the zygote's fresh child (with namespaces, the first process of its own process-id
    namespace); never returns."""
    status = SOFTWARE_ERROR
    try:
        os.setsid()
        iso.prctl(iso.PR_SET_PDEATHSIG, signal.SIGKILL)
        if isolation.namespaces:
            owner = (isolation.worker_uid, isolation.worker_gid)
            iso.enter_namespaces(spec.scratch, spec.masked, python_paths(), owner, limits.scratch_mb)
            _become_worker(spec, sock, iso.VIEW_ROOT, isolation, limits)
        else:
            _become_worker(spec, sock, spec.scratch, isolation, limits)
        status = 0
    except BaseException as exc:  # noqa: BLE001 - the kit's own steps failed: say so where the operator looks
        print(f"autograder: a worker ended in the kit's code: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
    finally:
        os._exit(status)


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
    _clean_environment(spec.use_cuda)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    sys.dont_write_bytecode = True
    import torch

    torch.set_num_threads(1)
    src = os.path.join(root, "src")
    worker.serve(
        sock, src, spec.module, limits.result_mb * MIB, limits.output_kb * 1024, spec.use_cuda, spec.observe_dispatch
    )


def _clean_environment(use_cuda: bool) -> None:
    """Only the variables a worker needs; home and temporary folder in its own work folder."""
    kept = {key: os.environ[key] for key in CLEAN_ENV_KEYS if key in os.environ}
    if not use_cuda:
        # A CPU worker sees no GPU, as on a machine without one: code that hard-codes "cuda" fails
        # the same way everywhere, and cannot take GPU memory from the CUDA workers.
        kept["CUDA_VISIBLE_DEVICES"] = ""
    os.environ.clear()
    os.environ.update(kept, HOME=os.getcwd(), TMPDIR=os.getcwd(), OMP_NUM_THREADS="1")


def _holds_any(folder: str, paths: list[str]) -> bool:
    """True when one of `paths` is `folder` itself or lies beneath it."""
    return any(path == folder or path.startswith(folder.rstrip("/") + "/") for path in paths)
