"""Batch grading speed against the floor every peer pays per submission: a fresh Python importing torch.

Builds classes of the convolutions unit (four in five students correct, in several styles, one in
five with a typical mistake; every student's files differ), grades each with
`python -m autograder grade-batch`, and prints for each class size the wall time, the time per
submission and its ratio to `python -c "import torch"` measured in the same run (goal: at most
0.1), then the fixed cost of a run and the cost per submission fitted over all sizes, the peak
memory of the judges (their zygotes and workers included) and what that means for --jobs.
Usage: python benchmarks/batch_speed.py [--sizes 10 100 1000] [--jobs N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

KIT = Path(__file__).resolve().parent.parent
SOLUTIONS = KIT / "autograder" / "units" / "convolutions" / "solutions"
CORPUS = KIT / "tests" / "corpus"
CORRECT = sorted((CORPUS / "correct").iterdir())
MISTAKES = [
    "flipped_kernel",
    "fixed_dtype",
    "fixed_device",
    "last_row_missing",
    "autograd_item",
    "bias_not_added",
    "bias_not_parameter",
    "kernel_not_detached",
]
MISTAKE_SHARE = 5
"""One student in this many makes a typical mistake."""
GOAL = 0.1
PAGE = 4096


def build_class(root: Path, students: int) -> None:
    for index in range(students):
        folder = root / f"student{index:04d}"
        shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
        if index % MISTAKE_SHARE == MISTAKE_SHARE - 1:
            variant: Path | None = CORPUS / "mistakes" / MISTAKES[(index // MISTAKE_SHARE) % len(MISTAKES)]
        else:
            variant = CORRECT[index % len(CORRECT)] if index % 2 else None
        if variant is not None:
            for path in variant.glob("*.py"):
                shutil.copy(path, folder / path.name)
        # Each student's code differs a little, as real submissions do.
        with open(folder / "ex1_corr2d.py", "a") as handle:
            handle.write(f"\n# student {index}\n")


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=KIT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def descendants(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        direct = [int(each) for each in children.read_text().split()]
    except OSError:
        return []
    return direct + [grandchild for child in direct for grandchild in descendants(child)]


def proportional_bytes(pid: int) -> int:
    """The process's proportional set size: shared pages (torch, forked memory) divided among their users."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class MemoryWatch:
    """Samples the summed PSS of a process tree (the command and everything under it) until stopped."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.peak = 0
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        while self.process.poll() is None:
            tree = [self.process.pid, *descendants(self.process.pid)]
            self.peak = max(self.peak, sum(proportional_bytes(pid) for pid in tree))
            time.sleep(0.2)


def grade_batch(klass: Path, out: Path, jobs: int | None) -> tuple[float, int]:
    """Wall seconds of one grade-batch, and the peak PSS of its process tree in bytes."""
    command = [sys.executable, "-m", "autograder", "grade-batch", str(klass), "--out", str(out)]
    command += ["--jobs", str(jobs)] if jobs else []
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=KIT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    watch = MemoryWatch(process)
    if process.wait() != 0:
        raise SystemExit(f"grade-batch failed with exit code {process.returncode}")
    seconds = time.perf_counter() - started
    watch.thread.join()
    return seconds, watch.peak


def fit(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least squares: wall = fixed + per_submission * students."""
    mean_n = statistics.fmean(n for n, _ in points)
    mean_t = statistics.fmean(t for _, t in points)
    spread = sum((n - mean_n) ** 2 for n, _ in points)
    per = sum((n - mean_n) * (t - mean_t) for n, t in points) / spread if spread else mean_t / mean_n
    return mean_t - per * mean_n, per


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--jobs", type=int, default=None, help="default: grade-batch's own")
    parser.add_argument("--keep", type=Path, help="leave the classes and the results in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="autograder-bench-"))
    shutil.rmtree(work, ignore_errors=True)
    floor = statistics.median(timed([sys.executable, "-c", "import torch"]) for _ in range(5))
    print(f'python -c "import torch", median of 5: {floor:.2f} s (the floor every peer pays per submission)')
    print(f"{'students':>8} {'wall':>9} {'per submission':>15} {'/ floor':>8} {'peak memory':>12}")
    points, peaks = [], []
    for size in args.sizes:
        klass = work / f"class{size}"
        build_class(klass, size)
        seconds, peak = grade_batch(klass, work / f"out{size}", args.jobs)
        points.append((size, seconds))
        peaks.append(peak)
        per = seconds / size
        print(f"{size:>8} {seconds:>8.1f}s {per:>14.3f}s {per / floor:>8.3f} {peak / 2**20:>9.0f} MiB")
    fixed, per = fit(points)
    print(f"fixed cost of a run (fitted)           {fixed:.2f} s")
    print(f"cost per submission (fitted)           {per:.3f} s")
    print(f"ratio per submission / floor           {per / floor:.3f} (goal: at most {GOAL})")
    rerun, _ = grade_batch(work / f"class{args.sizes[-1]}", work / f"out{args.sizes[-1]}", args.jobs)
    print(f"rerun of the largest, nothing changed  {rerun:.2f} s")
    from autograder.batch.jobs import default_jobs, judge_memory_bytes

    jobs = args.jobs or default_jobs()
    print(f"judges (--jobs)                        {jobs}")
    print(f"peak memory per judge, measured        {max(peaks) / jobs / 2**20:.0f} MiB (PSS, workers included)")
    print(f"memory per judge, as --jobs assumes    {judge_memory_bytes() / 2**20:.0f} MiB")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
