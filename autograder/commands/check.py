"""`check`: the public tests against the student's own folder (exercises/ by default)."""

from __future__ import annotations

import argparse

from autograder import contract
from autograder.commands.grade import finish
from autograder.commands.session import Session
from autograder.errors import ExitCode
from autograder.grading import KIT_ROOT, STUDENT_WHEEL
from autograder.report import text
from autograder.submission.loader import load

DEFAULT_FOLDER = "exercises" if STUDENT_WHEEL else str(KIT_ROOT / "exercises")
"""The kit's stubs; installed from the student wheel, the exercises/ folder where the student is."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", default=DEFAULT_FOLDER, help="default: exercises/")
    parser.add_argument("--exercise", choices=contract.TAGS, action="append", help="check only this exercise")
    parser.add_argument("--verbose", action="store_true", help="show passed tests too")


def run(args: argparse.Namespace, session: Session) -> ExitCode:
    grader = session.grader()
    submission = load(args.folder)
    report = grader.grade(submission, "public", exercises=tuple(args.exercise or ()))
    print(text.render(report, session.lang, colour=session.colour, verbose=args.verbose))
    return finish(report, session.lang, None)
