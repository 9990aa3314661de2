"""The GPU part of the kit, in one run: `make gpu-check`.

Times a correct loop corr2d on the CPU and on the GPU (the call limit must fit both), grades the
reference solutions (hidden and public suites) and the device-mistake corpus (tests/corpus/gpu),
and prints a table. Exit status 1 when an expectation fails. Without CUDA it says so and exits 0:
the GPU tests are then skipped and left out of the maximum everywhere.
"""

from __future__ import annotations

import sys
import time
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

import torch

from autograder.units.convolutions import UNIT

if TYPE_CHECKING:
    from autograder.grading import Grader

torch.set_num_threads(1)  # this process forks the grader's zygote: no multi-threaded op before it

KIT = Path(__file__).resolve().parent.parent
CORPUS = KIT / "tests" / "corpus" / "gpu"
SOLUTIONS = UNIT.solutions
SIZES = (((6, 7), (2, 3)), ((32, 32), (3, 3)))


def loop_corr2d_seconds(device: str, n: tuple[int, int], k: tuple[int, int]) -> float:
    sys.path.insert(0, str(SOLUTIONS))
    from ex1_corr2d import corr2d

    X = torch.randn(n, device=device, requires_grad=True)
    K = torch.randn(k, device=device, requires_grad=True)
    corr2d(X, K).sum().backward()  # warm-up
    if device == "cuda":
        torch.cuda.synchronize()
    started = time.perf_counter()
    corr2d(X, K).sum().backward()
    if device == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - started


def submission(folder: Path | None) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in SOLUTIONS.glob("ex*.py")}
    if folder is not None:
        files.update({p.name: p.read_bytes() for p in folder.glob("*.py")})
    return files


def grade_corpus(grader: Grader) -> int:
    """Grade the solutions and the device mistakes, print the table; return how many rows failed."""
    from autograder.submission.loader import from_bytes

    cases = {
        "solutions": {"exercise": None, "expect": [], "what": "the reference solutions"},
        "solutions/public": {"exercise": None, "expect": [], "what": "the same, with the public suite"},
    }
    cases.update(tomllib.loads((CORPUS / "manifest.toml").read_text()))
    print(
        f"\n{'submission':<18} {'GPU tests':<10} {'named by GPU tests':<22} {'by the others':<22} "
        f"{'expected':<22} {'ok':<4} time"
    )
    failures = 0
    sandbox: list[str] = []
    for name, case in cases.items():
        started = time.perf_counter()
        folder = None if name.startswith("solutions") else CORPUS / name
        suite = "public" if name.endswith("/public") else "hidden"
        report = grader.grade(from_bytes(name, submission(folder)), suite)
        gpu_tests = [t for t in report.tests if t.name.key.endswith(".cuda")]
        passed = sum(t.status == "passed" for t in gpu_tests)
        named = {
            on: sorted({t.feedback.mistake for t in tests if t.feedback and t.feedback.mistake})
            for on, tests in (("gpu", gpu_tests), ("cpu", [t for t in report.tests if t not in gpu_tests]))
        }
        if case["exercise"] is None:
            ok = passed == len(gpu_tests) and report.score == report.max_score
        else:
            ok = bool(set(named[case.get("on", "gpu")]) & set(case["expect"]))
        failures += not ok
        print(
            f"{name:<18} {passed}/{len(gpu_tests):<8} {', '.join(named['gpu']) or '-':<22} "
            f"{', '.join(named['cpu']) or '-':<22} {', '.join(case['expect']) or 'all pass':<22} "
            f"{'yes' if ok else 'NO':<4} {time.perf_counter() - started:.1f} s"
        )
        for problem in [*report.notices, *report.internal_errors]:
            print(f"  ! {problem.splitlines()[0]}")
        sandbox = report.sandbox
    print(f"\nWorkers ran inside: {', '.join(sandbox)}")
    return failures


def main() -> int:
    from autograder.grading import Grader
    from autograder.judge.plugin import cuda_available

    grader = Grader()  # before this process asks anything of CUDA: the zygote must never inherit it
    try:
        if not cuda_available():
            print("No CUDA device here: the GPU tests are skipped and left out of the maximum;")
            print("the meta-device portability checks run everywhere (make test).")
            return 0
        print(f"GPU: {torch.cuda.get_device_name(0)}, torch {torch.__version__}")
        print("\nA correct loop corr2d, forward and backward:")
        for n, k in SIZES:
            cpu, gpu = loop_corr2d_seconds("cpu", n, k), loop_corr2d_seconds("cuda", n, k)
            print(f"  X {n}, K {k}:  cpu {cpu * 1000:8.1f} ms   cuda {gpu * 1000:8.1f} ms")
        print(f"  call limit: {grader.limits.call_seconds:g} s")
        return 1 if grade_corpus(grader) else 0
    finally:
        grader.close()


if __name__ == "__main__":
    raise SystemExit(main())
