"""What watching a call for the no-torch-conv rule costs: the worker's dispatch mode (the rule's
observer) and function mode (the diagnoses'), around corr2d written two ways, on a 32 x 32 input.

Prints the best of a few runs of each: bare, observed with the dispatch mode seeing every operator (a
single grade's workers), and observed once the recorder is narrowed to the operators the rule reads
(grade-batch's workers, autograder.sandbox.observer.watch_only), with each one's ratio to bare. Usage:
python benchmarks/rule_overhead.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Callable

import torch

from autograder.sandbox.observer import Observation, watch_only
from autograder.sandbox.worker import CallRecorder
from autograder.units.convolutions.rule import forbidden


def text_loops(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """The text's corr2d: one window product and sum per output entry."""
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


def element_by_element(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """Four loops, one scalar product per step: the most operators a correct corr2d dispatches."""
    h, w = K.shape
    Y = X.new_zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            total = X.new_zeros(())
            for a in range(h):
                for b in range(w):
                    total = total + X[i + a, j + b] * K[a, b]
            Y[i, j] = total
    return Y


def best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def observed(corr2d: Callable[..., object], X: torch.Tensor, K: torch.Tensor) -> Callable[[], object]:
    def run() -> object:
        with Observation(CallRecorder("/nowhere")) as observation, observation.function_mode():
            return corr2d(X, K)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)
    X, K = torch.randn(32, 32), torch.randn(3, 3)
    corr2ds = (text_loops, element_by_element)
    bare = {f: best(functools.partial(f, X, K), args.repeat) for f in corr2ds}
    every = {f: best(observed(f, X, K), args.repeat) for f in corr2ds}
    watch_only(forbidden.watched_operators())  # for good: what a zygote does once idle
    narrowed = {f: best(observed(f, X, K), args.repeat) for f in corr2ds}
    print(f"{'corr2d':22} {'bare':>8} {'every operator':>16} {'narrowed':>16}")
    for f in corr2ds:
        print(
            f"{f.__name__:22} {bare[f]:7.3f}s {every[f]:8.3f}s {every[f] / bare[f]:5.1f}x"
            f" {narrowed[f]:8.3f}s {narrowed[f] / bare[f]:5.1f}x"
        )


if __name__ == "__main__":
    main()
