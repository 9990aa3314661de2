"""`check`: the public tests against the student's own folder (exercises/ by default).

`--watch` checks again on every save (autograder.watch); `--serve` answers a notebook kernel's
requests (autograder.serve). Both keep one warm Grader for the whole run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder import units
from autograder.commands.grade import finish
from autograder.commands.session import Session
from autograder.errors import ExitCode
from autograder.paths import STUDENT_WHEEL, workspace
from autograder.report import text
from autograder.submission.loader import load
from autograder.unit import Unit


def default_folder(unit: Unit) -> str:
    """The unit's stubs in a checkout; installed from the student wheel, exercises/ where the student is."""
    return "exercises" if STUDENT_WHEEL else str(workspace(unit) / "exercises")


def unit_checked(args: argparse.Namespace, session: Session) -> Unit | None:
    """--unit's; else the unit of the exercises named; else None: the folder's files say their unit
    (a student of any unit runs a bare `check` in their own exercises/)."""
    if args.unit:
        return session.unit
    if args.exercise:
        return units.of_exercise(args.exercise[0])
    return None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", help="default: exercises/")
    tags = sorted(units.all_tags())
    parser.add_argument("--exercise", choices=tags, action="append", help="check only this exercise")
    parser.add_argument("--verbose", action="store_true", help="show passed tests too")
    warm = parser.add_mutually_exclusive_group()
    warm.add_argument("--watch", action="store_true", help="check again each time an exercise file is saved")
    warm.add_argument(
        "--serve", action="store_true", help="answer check requests, one JSON line each on stdin (a notebook's check())"
    )


def run(args: argparse.Namespace, session: Session) -> ExitCode:
    session.stays_up = args.watch or args.serve
    if args.serve:  # it starts the grader itself, once its answers have a channel of their own
        from autograder.serve import serve

        return serve(session, sys.stdin)
    grader = session.grader()
    unit = unit_checked(args, session)
    folder = args.folder or default_folder(unit or session.unit)
    exercises = tuple(args.exercise or ())
    if args.watch:
        from autograder.watch import Watch

        args.interrupted_key = "watch.stopped"

        return Watch(session, Path(folder), unit, exercises, verbose=args.verbose).run()
    report = grader.grade(load(folder, unit), "public", exercises=exercises)
    print(text.render(report, session.lang, colour=session.colour, verbose=args.verbose))
    return finish(report, session.lang, None)
