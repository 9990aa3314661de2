"""The unit's mutation self-test, as `python -m autograder mutants` runs it (see autograder.commands.mutants)."""

from __future__ import annotations

import argparse
import json
import sys
import time

import torch

from autograder.commands.session import Session
from autograder.errors import ExitCode
from autograder.output import write_atomic
from autograder.units.convolutions import UNIT
from autograder.units.convolutions.mutants.corpus import all_mutants, spread
from autograder.units.convolutions.mutants.loading import solution_sources
from autograder.units.convolutions.mutants.run import Outcome, grade_all, problems, record, render_table, survivors


def run(args: argparse.Namespace, session: Session) -> ExitCode:
    torch.set_num_threads(1)  # the judges are forked from this process: no thread pool may be running
    solutions = UNIT.solutions
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
