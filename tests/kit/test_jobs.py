"""grade-batch's default number of judges: one per usable core, fewer where the memory holds fewer."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.batch import jobs
from autograder.sandbox.limits import Limits

GIB = 1 << 30


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fake /proc/meminfo and cgroup folder; returns a function that fills them."""
    cgroup = tmp_path / "cgroup"
    cgroup.mkdir()
    meminfo = tmp_path / "meminfo"
    monkeypatch.setattr(jobs, "CGROUP", cgroup)
    monkeypatch.setattr(jobs, "MEMINFO", meminfo)
    monkeypatch.setattr(jobs.os, "sched_getaffinity", lambda pid: set(range(8)))

    def make(available_gib: float, memory_max: str | None = None, used_gib: float = 0, cpu_max: str | None = None):
        meminfo.write_text(f"MemTotal: 99999999 kB\nMemAvailable: {int(available_gib * GIB / 1024)} kB\n")
        if memory_max is not None:
            (cgroup / "memory.max").write_text(memory_max + "\n")
            (cgroup / "memory.current").write_text(f"{int(used_gib * GIB)}\n")
        if cpu_max is not None:
            (cgroup / "cpu.max").write_text(cpu_max + "\n")

    return make


def test_one_judge_per_core_where_memory_is_plenty(machine):
    machine(available_gib=64)
    assert jobs.default_jobs(Limits(memory_mb=2048)) == 8


def test_memory_caps_the_judges(machine):
    """Each judge counts its own measured peak plus one worker at its memory limit."""
    machine(available_gib=8)
    per_judge = jobs.judge_memory_bytes(Limits(memory_mb=2048))
    assert per_judge == (jobs.JUDGE_MEMORY_MB + 2048) * (1 << 20)
    assert jobs.default_jobs(Limits(memory_mb=2048)) == 8 * GIB // per_judge == 3


def test_a_container_limit_counts_with_what_it_already_uses(machine):
    machine(available_gib=64, memory_max=str(6 * GIB), used_gib=1)
    assert jobs.available_memory_bytes() == 5 * GIB
    assert jobs.default_jobs(Limits(memory_mb=2048)) == 2


def test_a_cpu_quota_caps_the_cores(machine):
    machine(available_gib=64, memory_max="max", cpu_max="300000 100000")
    assert jobs.usable_cores() == 3
    assert jobs.default_jobs(Limits(memory_mb=1024)) == 3


def test_at_least_one_judge_even_when_memory_is_short(machine):
    machine(available_gib=0.5)
    assert jobs.default_jobs(Limits(memory_mb=2048)) == 1


def test_without_meminfo_the_cores_decide(machine, tmp_path, monkeypatch):
    monkeypatch.setattr(jobs, "MEMINFO", tmp_path / "missing")
    assert jobs.available_memory_bytes() is None
    assert jobs.default_jobs() == 8
