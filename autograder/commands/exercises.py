"""`exercises`: regenerate a unit's student stubs (exercises/, exercises_zh/) from its solutions."""

from __future__ import annotations

import argparse

from autograder.authoring import STUB_FOLDERS, out_of_step, write_stubs
from autograder.commands.session import Session
from autograder.errors import ExitCode
from autograder.paths import KIT_ROOT, workspace


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="only report stubs that are out of step (exit 1)")


def run(args: argparse.Namespace, session: Session) -> ExitCode:
    unit, root = session.unit, workspace(session.unit)
    if args.check:
        stale = [path for lang, folder in STUB_FOLDERS.items() for path in out_of_step(unit, root / folder, lang)]
        for path in stale:
            print(f"out of step with solutions/: {path} (run `make exercises`)")
        return ExitCode.GRADER_FAILED if stale else ExitCode.OK
    for lang, folder in STUB_FOLDERS.items():
        for written in write_stubs(unit, root / folder, lang):
            print(f"wrote {written.relative_to(KIT_ROOT)}")
    return ExitCode.OK
