"""The sandbox's limits: every one documented with its default, and settable from the environment."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields

import pytest

from autograder.paths import KIT_ROOT
from autograder.sandbox.limits import Limits


def test_the_readme_lists_every_limit_with_its_default():
    readme = (KIT_ROOT / "README.md").read_text()
    for field in fields(Limits):
        assert f"| `{field.name.upper()}` | {getattr(Limits(), field.name):g} |" in readme, field.name


def test_limits_come_from_the_environment_and_bad_values_say_which():
    limits = Limits.from_env({"AUTOGRADER_LIMIT_CUDA_START_SECONDS": "90", "AUTOGRADER_LIMIT_MEMORY_MB": "1024"})
    assert (limits.cuda_start_seconds, limits.memory_mb) == (90.0, 1024)
    with pytest.raises(ValueError, match="AUTOGRADER_LIMIT_CALL_SECONDS"):
        Limits.from_env({"AUTOGRADER_LIMIT_CALL_SECONDS": "soon"})
    with pytest.raises(ValueError, match="must be positive"):
        Limits.from_env({"AUTOGRADER_LIMIT_PROCESSES": "0"})


ADDRESS_SPACE_PROBE = """
import os, sys
import torch
from autograder.sandbox.isolation import Isolation, apply_limits
from autograder.sandbox.limits import Limits

isolation = Isolation(as_root=False, namespaces=False, worker_uid=os.getuid(), worker_gid=os.getgid(),
                      process_base=1 << 20, landlock=0)
apply_limits(Limits(memory_mb=int(sys.argv[1])), isolation, use_cuda=False)
kept = bytearray(int(sys.argv[2]) << 20)
try:
    more = bytearray(int(sys.argv[3]) << 20)
except MemoryError:
    print("refused")
"""


def test_a_worker_may_map_its_memory_limit_beyond_what_torch_maps():
    """torch maps 0.6 GB at import (PyPI's CUDA build 3 GB, GPU or not): counted from zero, a limit
    below that would refuse the worker's first allocation. It counts from what the worker starts with."""
    result = subprocess.run(
        [sys.executable, "-c", ADDRESS_SPACE_PROBE, "256", "192", "128"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "refused"
