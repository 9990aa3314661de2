"""`python -m autograder COMMAND`: the entry point of every user.

Exit codes (autograder.errors.ExitCode): 0 graded (whatever the score); 1 the grader itself failed;
2 bad usage or a submission that cannot be read (the message says what to do); 3 the score is below
--fail-under; 130 and 143 stopped by Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile

from autograder import __version__, units
from autograder.errors import ExitCode, KitError
from autograder.i18n import LANGUAGES, catalogue, resolve_language
from autograder.sandbox.limits import Limits

COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("grade", "grade", "grade one submission with the hidden tests"),
    ("check", "check", "run the public tests on your own exercises/"),
    ("demo", "demo", "grade the bundled sample submissions"),
    ("exercises", "exercises", "regenerate exercises/ from solutions/"),
    ("grade-batch", "batch", "grade every submission of a class in parallel"),
    ("export", "export", "build notebooks, the Gradescope zip, the student bundle, nbgrader or Otter notebooks"),
    ("mutants", "mutants", "self-test: grade mutants of the solutions and check every named mistake"),
)
"""Each command's name, its module in autograder.commands, and its one line of help."""


def _chosen_command(argv: list[str]) -> str | None:
    """The command a command line names: its first word that is no option (the top level's options
    take no value); None when there is none (`--help`, `--version`)."""
    return next((word for word in argv if not word.startswith("-")), None)


def _parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The whole command line. Only the chosen command's module is imported and its arguments
    declared (every command's when none is chosen): a run imports what it runs, not the HTML pages
    and batch machinery of the others."""
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"autograder {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang", choices=LANGUAGES, help="language of student-facing text (default: $AUTOGRADER_LANG, the locale, en)"
    )
    common.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour in the terminal")
    common.add_argument(
        "--unit",
        choices=units.names(),
        help="the unit to work on (default: the one a submission's files belong to, else the first installed: "
        f"{units.names()[0]})",
    )
    common.add_argument("--timeout", type=float, help="seconds one call into student code may take")
    common.add_argument("--memory-mb", type=int, help="address space of a worker in MiB")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module_name, help_text in COMMANDS:
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        if chosen in (None, name):
            module = importlib.import_module(f"autograder.commands.{module_name}")
            module.add_arguments(sub)
            sub.set_defaults(run=module.run)
    return parser


def _limits(args: argparse.Namespace) -> Limits:
    from dataclasses import replace

    limits = Limits.from_env()
    if args.timeout is not None:
        limits = replace(limits, call_seconds=args.timeout)
    if args.memory_mb is not None:
        limits = replace(limits, memory_mb=args.memory_mb)
    return limits


def _colour(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def describe(fault: KitError, lang: str) -> str:
    """The one line a fault prints: a failure of the grader or the machine is announced as such."""
    text = fault.describe(lang)
    if fault.exit_code == ExitCode.GRADER_FAILED:
        return catalogue(lang).text("report.grader_failed", error=text)
    return text


def main(argv: list[str] | None = None) -> ExitCode:
    """Run one command; argparse itself exits with ExitCode.USAGE on a bad command line."""
    words = sys.argv[1:] if argv is None else argv
    args = _parser(_chosen_command(words)).parse_args(words)
    try:
        lang = resolve_language(args.lang)
        limits = _limits(args)
    except ValueError as exc:  # an unknown language (UsageError), or a limit from the environment
        print(f"autograder: {exc}", file=sys.stderr)
        return ExitCode.USAGE

    from autograder.cleanup import exit_status, ignore_signals, private_run_folder, stop_on_signals, was_interrupted
    from autograder.commands.session import Session

    # Every file a run writes outside --out (the workers' copies of the students' files) goes into
    # one folder that others cannot list, removed however the run ends (Ctrl-C and SIGTERM too).
    with stop_on_signals(), private_run_folder() as scratch:
        tempfile.tempdir = str(scratch)
        session = Session(lang, _colour(args.color), limits, scratch=scratch, unit_name=args.unit)
        try:
            status: ExitCode = args.run(args, session)
            if was_interrupted():
                raise KeyboardInterrupt
            return status
        except KitError as fault:
            print(f"autograder: {describe(fault, lang)}", file=sys.stderr)
            return fault.exit_code
        except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (autograder.cleanup.Interrupted)
            ignore_signals()
            # A command may say what its interruption means (a watch is only ever ended by Ctrl-C).
            key = getattr(args, "interrupted_key", "report.interrupted")
            print(f"\nautograder: {catalogue(lang).text(key)}", file=sys.stderr)
            return exit_status()
        finally:
            session.close()
