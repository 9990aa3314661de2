"""Batch grading speed against the floor every peer pays: a fresh Python importing torch.

Builds a class of 100 submissions (mostly correct, some typical mistakes), grades it with
`python -m autograder grade-batch`, then grades it again (nothing changed), and prints the wall
time per submission, the time of `python -c "import torch"` measured in the same run, and their
ratio. Usage: python benchmarks/batch_speed.py [--students 100] [--jobs N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KIT = Path(__file__).resolve().parent.parent
SOLUTIONS = KIT / "solutions"
CORPUS = KIT / "tests" / "corpus"
CORRECT = [KIT / "samples" / "correct_vectorised", *sorted((CORPUS / "correct").iterdir())]
MISTAKES = [
    "flipped_kernel",
    "fixed_dtype",
    "fixed_device",
    "off_by_one_short",
    "autograd_item",
    "bias_not_added",
    "weight_not_parameter",
    "no_zero_grad",
    "wrong_update_sign",
    "mean_instead_of_sum",
]
MISTAKE_SHARE = 5
"""One student in this many makes a typical mistake."""


def build_class(root: Path, students: int) -> None:
    for index in range(students):
        folder = root / f"student{index:03d}"
        shutil.copytree(SOLUTIONS, folder)
        if index % MISTAKE_SHARE == MISTAKE_SHARE - 1:
            variant = CORPUS / "mistakes" / MISTAKES[(index // MISTAKE_SHARE) % len(MISTAKES)]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--keep", type=Path, help="leave the class and the results in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="autograder-bench-"))
    klass, out = work / "class", work / "out"
    shutil.rmtree(work, ignore_errors=True)
    build_class(klass, args.students)
    floor = statistics.median(timed([sys.executable, "-c", "import torch"]) for _ in range(5))
    command = [sys.executable, "-m", "autograder", "grade-batch", str(klass), "--out", str(out)]
    if args.jobs:
        command += ["--jobs", str(args.jobs)]
    first = timed(command)
    rerun = timed(command)
    per_submission = first / args.students
    print(f"students                      {args.students}")
    print(f"grade-batch, wall             {first:.2f} s")
    print(f"  per submission              {per_submission:.3f} s")
    print(f"python -c 'import torch'      {floor:.3f} s (median of 5, the floor every peer pays per submission)")
    print(f"ratio per submission / floor  {per_submission / floor:.3f} (goal: at most 0.25)")
    print(f"rerun, nothing changed        {rerun:.2f} s")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
