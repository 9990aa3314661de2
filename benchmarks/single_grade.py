"""One grade against the floor every grader pays: a fresh Python importing torch.

Times `python -c "import torch"` and `python -m autograder grade SOLUTIONS` in alternation (so that
a machine that slows down slows both), prints their medians and the ratio (goal: at most 1.3), then
where the time of one grade goes, phase by phase, measured in one process that takes the steps the
command takes (its zygote warms up on the other core meanwhile).
Usage: python benchmarks/single_grade.py [--unit NAME] [--rounds 7] [--no-breakdown]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

KIT = Path(__file__).resolve().parent.parent
GOAL = 1.3


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=KIT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def solutions(unit: str) -> Path:
    return KIT / "autograder" / "units" / unit / "solutions"


def end_to_end(unit: str, rounds: int) -> tuple[float, float]:
    """Medians of the floor and of one grade, in seconds."""
    floor, grade = [], []
    command = [sys.executable, "-m", "autograder", "grade", str(solutions(unit)), "--unit", unit]
    timed(command)  # the first run reads the files into the page cache
    for _ in range(rounds):
        floor.append(timed([sys.executable, "-c", "import torch"]))
        grade.append(timed(command))
    return statistics.median(floor), statistics.median(grade)


class Phases:
    """Wall time of the steps of one grade, in order, and time spent inside some calls."""

    def __init__(self, started: float) -> None:
        self.last = started
        self.rows: list[tuple[str, float]] = []
        self.inside: dict[str, float] = {}

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.rows.append((name, now - self.last))
        self.last = now

    def count(self, owner: Any, method: str, name: str) -> None:
        """Add the time spent in owner.method to `inside[name]`."""
        original: Callable[..., Any] = getattr(owner, method)

        def measured(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.inside[name] = self.inside.get(name, 0.0) + time.perf_counter() - started

        setattr(owner, method, measured)


def process_age() -> float:
    """Seconds since this process was started (Python's own start included)."""
    ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return uptime - ticks / os.sysconf("SC_CLK_TCK")


def breakdown(unit: str) -> Phases:
    """The steps `python -m autograder grade` takes, timed one by one in this process."""
    phases = Phases(started=time.perf_counter() - process_age())
    phases.done("start Python")
    from autograder.cli import _parser
    from autograder.commands.session import Session
    from autograder.sandbox.limits import Limits
    from autograder.submission.loader import load

    _parser("grade")
    phases.done("import the kit's commands")
    session = Session("en", False, Limits.from_env(), scratch=Path(tempfile.mkdtemp()), unit_name=unit)
    grader = session.grader()
    phases.done("import torch, fork the zygote, judge warm-up")
    submission = load(str(solutions(unit)), session.unit)
    phases.done("read the submission")
    from autograder.grading import Grader
    from autograder.sandbox.client import WorkerPool

    phases.count(Grader, "_run_suite", "the pytest session (from importing pytest on)")
    phases.count(WorkerPool, "request", "waiting for the student's code (and its worker's start)")
    report = grader.grade(submission)
    phases.done("grade (ask for workers, pytest, the judge)")
    from autograder.report import text

    text.render(report, "en", colour=False)
    phases.done("render the report")
    session.close()
    phases.done("close the zygote")
    return phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", default="convolutions")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--no-breakdown", action="store_true")
    parser.add_argument("--phases", action="store_true", help=argparse.SUPPRESS)  # the breakdown's own process
    args = parser.parse_args()
    if args.phases:
        print_phases(breakdown(args.unit))
        return
    floor, grade = end_to_end(args.unit, args.rounds)
    print(f"unit                                   {args.unit}")
    print(f'python -c "import torch", median       {floor:.2f} s')
    print(f"python -m autograder grade, median     {grade:.2f} s")
    print(f"ratio (goal: at most {GOAL})             {grade / floor:.2f}")
    if args.no_breakdown:
        return
    # In a fresh process: its start and its import of torch are part of the picture.
    subprocess.run([sys.executable, __file__, "--phases", "--unit", args.unit], check=True)


def print_phases(phases: Phases) -> None:
    total = sum(seconds for _, seconds in phases.rows)
    print(f"\nwhere one grade's time goes, in one process ({total:.2f} s in all, before the interpreter exits):")
    for name, seconds in phases.rows:
        print(f"  {name:<40} {seconds:6.2f} s")
    for name, seconds in phases.inside.items():
        print(f"    of which {name:<55} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
