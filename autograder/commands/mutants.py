"""`mutants`: the kit's self-test: grade mutants of the reference solutions and check every diagnosis.

Exit code 1 when the grader names a mistake the mutant does not make, charges a mutant that behaves
exactly like the reference, or fails itself; else 0.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import torch

from autograder.commands.session import Session
from autograder.errors import ExitCode
from autograder.grading import KIT_ROOT
from autograder.mutants.corpus import all_mutants, spread
from autograder.mutants.loading import solution_sources
from autograder.mutants.run import Outcome, grade_all, problems, record, render_table, survivors
from autograder.output import write_atomic

PER_OPERATOR = 8
"""Mutants per exercise and operator: sites spread evenly, so the run stays near 3 minutes on 2 cores."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, help="folder for mutants.json: every mutant, its grade and verdicts")
    parser.add_argument(
        "--per-operator",
        type=int,
        default=PER_OPERATOR,
        metavar="N",
        help=f"at most N mutants per exercise and operator (default {PER_OPERATOR}; 0: all)",
    )
    parser.add_argument("--only", metavar="TEXT", help="only the mutants whose id contains TEXT")
    parser.add_argument(
        "--jobs",
        type=int,
        default=len(os.sched_getaffinity(0)),
        metavar="N",
        help="judge processes (default: all cores)",
    )
    parser.add_argument("--list", action="store_true", help="list the mutants (id and change) without grading")


def run(args: argparse.Namespace, session: Session) -> ExitCode:
    torch.set_num_threads(1)  # the judges are forked from this process: no thread pool may be running
    solutions = KIT_ROOT / "solutions"
    mutants = spread(all_mutants(solutions), args.per_operator or None)
    if args.only:
        mutants = [m for m in mutants if args.only in m.id]
    if args.list:
        for mutant in mutants:
            print(f"{mutant.id}  {mutant.description}")
        return ExitCode.OK
    started = time.monotonic()

    def progress(number: int, total: int, outcome: Outcome) -> None:
        if sys.stderr.isatty():
            print(f"\r{number}/{total} {outcome.mutant.id:<40}", end="", file=sys.stderr, flush=True)

    outcomes = grade_all(mutants, solution_sources(solutions), session.limits, max(1, args.jobs), progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(render_table(outcomes))
    print(f"\n{len(outcomes)} mutants in {time.monotonic() - started:.0f} s")
    found = problems(outcomes)
    for line in [*found, *survivors(outcomes)]:
        print(line)
    if args.out:
        write_atomic(args.out / "mutants.json", json.dumps([record(o) for o in outcomes], indent=1) + "\n")
    return ExitCode.GRADER_FAILED if found else ExitCode.OK
