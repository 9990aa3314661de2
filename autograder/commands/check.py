"""`check`: the public tests against the student's own folder (exercises/ by default)."""

from __future__ import annotations

import argparse

from autograder import units
from autograder.commands.grade import finish
from autograder.commands.session import Session
from autograder.errors import ExitCode
from autograder.paths import STUDENT_WHEEL, workspace
from autograder.report import text
from autograder.submission.loader import load


def default_folder(session: Session) -> str:
    """The unit's stubs in a checkout; installed from the student wheel, exercises/ where the student is."""
    return "exercises" if STUDENT_WHEEL else str(workspace(session.unit) / "exercises")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", help="default: exercises/")
    tags = sorted(units.all_tags())
    parser.add_argument("--exercise", choices=tags, action="append", help="check only this exercise")
    parser.add_argument("--verbose", action="store_true", help="show passed tests too")


def run(args: argparse.Namespace, session: Session) -> ExitCode:
    grader = session.grader()
    # A folder given on the command line says its unit by its files, unless --unit says it.
    unit = session.unit if args.unit or not args.folder else None
    submission = load(args.folder or default_folder(session), unit)
    report = grader.grade(submission, "public", exercises=tuple(args.exercise or ()))
    print(text.render(report, session.lang, colour=session.colour, verbose=args.verbose))
    return finish(report, session.lang, None)
