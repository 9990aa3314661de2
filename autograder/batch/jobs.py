"""How many judges grade-batch runs at once by default: as many as the cores allow and the memory holds.

A judge is a fork of the batch's warm process with its own zygote and, while it grades, one worker
per exercise file of its student. Most of that memory is torch's, shared by all of them; what each
judge adds was measured with benchmarks/batch_speed.py (its peak PSS over the class, workers
included). On top of it a judge may need one worker at its memory limit: a student who builds large
tensors.
"""

from __future__ import annotations

import os
from pathlib import Path

from autograder.sandbox.limits import MIB, Limits

CGROUP = Path("/sys/fs/cgroup")
"""The process's cgroup (v2) as a container sees it: its CPU quota and memory limit, if any."""
MEMINFO = Path("/proc/meminfo")

JUDGE_MEMORY_MB = 400
"""What one judge holds at its peak beyond what it shares, workers included (benchmarks/batch_speed.py)."""


def usable_cores() -> int:
    """The cores this process may run on: its affinity, capped by a cgroup's CPU quota (a container's)."""
    cores = len(os.sched_getaffinity(0))
    try:
        quota, period = (CGROUP / "cpu.max").read_text().split()
    except (OSError, ValueError):
        return cores
    if quota == "max":
        return cores
    return max(1, min(cores, int(quota) // int(period)))


def available_memory_bytes() -> int | None:
    """Memory that can be used without swapping: the kernel's estimate, capped by a cgroup's limit."""
    available = None
    try:
        for line in MEMINFO.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                available = int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    try:
        limit = (CGROUP / "memory.max").read_text().strip()
        used = int((CGROUP / "memory.current").read_text())
    except (OSError, ValueError):
        return available
    if limit == "max":
        return available
    left = int(limit) - used
    return left if available is None else min(available, left)


def judge_memory_bytes(limits: Limits | None = None) -> int:
    """What --jobs counts for each judge: its own peak, plus one worker at its memory limit."""
    return (JUDGE_MEMORY_MB + (limits or Limits.from_env()).memory_mb) * MIB


def default_jobs(limits: Limits | None = None) -> int:
    """One judge per usable core, fewer where the memory available does not hold that many."""
    cores = usable_cores()
    memory = available_memory_bytes()
    if memory is None:
        return cores
    return max(1, min(cores, memory // judge_memory_bytes(limits)))
