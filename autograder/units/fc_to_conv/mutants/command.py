"""The unit's mutation self-test, as `python -m autograder mutants --unit fc_to_conv` runs it
(see autograder.commands.mutants for its arguments)."""

from __future__ import annotations

import argparse
import json
import sys
import time

import torch

from autograder.commands.session import Session
from autograder.errors import ExitCode
from autograder.output import write_atomic
from autograder.units.fc_to_conv import UNIT
from autograder.units.fc_to_conv.mutants.corpus import all_mutants, spread
from autograder.units.fc_to_conv.mutants.loading import solution_sources
from autograder.units.fc_to_conv.mutants.run import Outcome, grade_all, notes, problems, record, render_table


def run(args: argparse.Namespace, session: Session) -> ExitCode:
    torch.set_num_threads(1)  # the judges are forked from this process: no thread pool may be running
    mutants = spread(all_mutants(UNIT.solutions), args.per_operator or None)
    if args.only:
        mutants = [m for m in mutants if args.only in m.id]
    if args.list:
        for mutant in mutants:
            print(f"{mutant.id}  {mutant.description}")
        return ExitCode.OK
    started = time.monotonic()

    def progress(number: int, total: int, outcome: Outcome) -> None:
        if sys.stderr.isatty():
            print(f"\r{number}/{total} {outcome.mutant.id:<48}", end="", file=sys.stderr, flush=True)

    outcomes = grade_all(mutants, solution_sources(UNIT.solutions), session.limits, max(1, args.jobs), progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(render_table(outcomes))
    print(f"\n{len(outcomes)} mutants in {time.monotonic() - started:.0f} s")
    found = problems(outcomes)
    for line in [*found, *notes(outcomes)]:
        print(line)
    if args.out:
        write_atomic(args.out / "mutants.json", json.dumps([record(o) for o in outcomes], indent=1) + "\n")
    return ExitCode.GRADER_FAILED if found else ExitCode.OK
