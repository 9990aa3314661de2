"""The benchmarks still run: they time the kit through its own names (a method they count, a step they
repeat), which a change can move without any other test noticing. Each runs once, at its smallest."""

from __future__ import annotations

import subprocess
import sys

from autograder.paths import KIT_ROOT

BENCHMARKS = KIT_ROOT / "benchmarks"


def run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        cwd=KIT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_single_grade_breakdown_times_every_step():
    out = run("single_grade.py", "--phases")
    for step in ("import torch, fork the zygote", "grade (", "waiting for the student's code", "the pytest session"):
        assert step in out, out


def test_the_batch_curve_runs_on_a_small_class():
    out = run("batch_speed.py", "--sizes", "2", "3")
    assert "per submission" in out, out


def test_the_watch_benchmark_times_its_saves():
    out = run("watch_speed.py", "--saves", "1")
    assert "median" in out, out
