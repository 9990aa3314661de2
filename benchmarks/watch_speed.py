"""How soon `check --watch` shows the report after a save, against a cold `check` of the same exercise.

Copies the convolutions unit's solutions to a temporary folder, starts
`python -m autograder check --watch FOLDER` (its output a pipe: each report follows a separator line),
waits for the first report, then saves ex1_corr2d.py (a comment more) several times and prints the
seconds from each save to the report's separator, their median, and the goal. For comparison it also
times one cold `python -m autograder check --exercise corr2d` on the same folder. With `--sgd`, the
saved file is a learn_kernel written with torch.optim.SGD (whose steps import torch's compiler, which
the watch's zygote loads once it is first idle).
Usage: python benchmarks/watch_speed.py [--saves 9] [--sgd]
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

KIT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(KIT))
SGD_LEARN_KERNEL = KIT / "tests" / "corpus" / "correct" / "offsets_and_optimizer" / "ex4_learn_kernel.py"

from autograder.units.convolutions import UNIT  # noqa: E402
from autograder.watch import POLL_SECONDS, SEPARATOR  # noqa: E402

GOAL_SECONDS = 0.5
FIRST_REPORT_SECONDS = 120
REPORT_SECONDS = 30
ENVIRONMENT = {**os.environ, "AUTOGRADER_LANG": "en", "NO_COLOR": "1"}


def separators(stream: IO[str], arrivals: queue.Queue[float]) -> None:
    """The time each report begins to arrive (its separator line; the report is written at once)."""
    for line in stream:
        if line.rstrip("\n") == SEPARATOR:
            arrivals.put(time.perf_counter())


def cold_check(folder: Path, exercise: str) -> float:
    started = time.perf_counter()
    command = [sys.executable, "-m", "autograder", "check", str(folder), "--exercise", exercise]
    subprocess.run(command, cwd=KIT, env=ENVIRONMENT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=9)
    parser.add_argument("--sgd", action="store_true", help="save a learn_kernel that uses torch.optim.SGD")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="watch-speed-"))
    for path in UNIT.solutions.glob("*.py"):
        shutil.copy(path, folder / path.name)
    exercise, shown, target = "corr2d", "corr2d", folder / "ex1_corr2d.py"
    if args.sgd:
        exercise, shown, target = "learn_kernel", "learn_kernel (torch.optim.SGD)", folder / "ex4_learn_kernel.py"
        shutil.copy(SGD_LEARN_KERNEL, target)
    command = [sys.executable, "-m", "autograder", "check", "--watch", str(folder)]
    watch = subprocess.Popen(command, cwd=KIT, env=ENVIRONMENT, stdout=subprocess.PIPE, text=True)
    assert watch.stdout is not None
    arrivals: queue.Queue[float] = queue.Queue()
    threading.Thread(target=separators, args=(watch.stdout, arrivals), daemon=True).start()
    try:
        arrivals.get(timeout=FIRST_REPORT_SECONDS)
        delays = []
        for save in range(args.saves):
            time.sleep(2 * POLL_SECONDS)  # the watch is idle, as between a student's saves
            saved = time.perf_counter()
            with target.open("a", encoding="utf-8") as handle:
                handle.write(f"\n# save {save}\n")
            delays.append(arrivals.get(timeout=REPORT_SECONDS) - saved)
    finally:
        watch.send_signal(signal.SIGINT)
        watch.wait(timeout=60)
    cold = cold_check(folder, exercise)
    shutil.rmtree(folder, ignore_errors=True)
    print(f"save to report, {shown} (correct), {len(delays)} saves: " + " ".join(f"{d:.2f}" for d in delays))
    print(f"median: {statistics.median(delays):.2f} s (goal: under {GOAL_SECONDS} s; polling every {POLL_SECONDS} s)")
    print(f"a cold `check --exercise {exercise}` on the same folder: {cold:.2f} s")
    print(f"watch exit status after Ctrl-C: {watch.returncode}")


if __name__ == "__main__":
    main()
