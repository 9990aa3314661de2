"""`mutants`: the kit's self-test: grade mutants of the reference solutions and check every diagnosis.

Exit code 1 when the grader names a mistake the mutant does not make, charges a mutant that behaves
exactly like the reference, or fails itself; else 0.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.batch.jobs import default_jobs
from autograder.commands.session import Session
from autograder.errors import ExitCode, UsageError

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
        metavar="N",
        help="judge processes (default: as for grade-batch, one per core that the memory holds)",
    )
    parser.add_argument("--list", action="store_true", help="list the mutants (id and change) without grading")


def run(args: argparse.Namespace, session: Session) -> ExitCode:
    """The unit's own mutation run: its operators and oracle know its exercises."""
    hook = session.unit.hook("mutants")
    if hook is None:
        raise UsageError(f"the unit {session.unit.name!r} has no mutation self-test")
    args.jobs = args.jobs or default_jobs(session.limits)
    status: ExitCode = hook(args, session)
    return status
