"""`export KIND`: build what the kit hands out, from solutions/ and the suites.

notebooks       notebooks/<unit notebook> (and one folder per language), or --check them
gradescope      dist/gradescope-autograder.zip
student-bundle  dist/student-bundle.zip
student-wheel   dist/conv_autograder_student-<version>-py3-none-any.whl: the checker and public tests
nbgrader        dist/nbgrader/source/<assignment>/<notebook> (an nbgrader course folder)
otter           dist/otter/<notebook> (an Otter Assign master notebook)
classroom50     dist/classroom50/ (Classroom 50's autograder.py with the checker and the public tests)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.commands.session import Session
from autograder.errors import ExitCode
from autograder.paths import DIST, workspace

KINDS = ("notebooks", "gradescope", "student-bundle", "student-wheel", "nbgrader", "otter", "classroom50")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS, help="what to build")
    parser.add_argument("--out", type=Path, help="where to write it (default: under dist/, notebooks: the kit)")
    parser.add_argument("--check", action="store_true", help="notebooks: only report those out of step (exit 1)")
    parser.add_argument("--torch", help="gradescope: the PyTorch requirement setup.sh installs")
    parser.add_argument("--torch-index", help="gradescope: the pip index of PyTorch ('' for PyPI's default)")
    parser.add_argument(
        "--secret-file",
        type=Path,
        metavar="FILE",
        help="gradescope: the secret that seeds each submission's hidden inputs, shipped in the zip "
        "(default: $AUTOGRADER_SECRET_FILE, else ~/.config/conv-autograder/secret, created on first use)",
    )
    parser.add_argument(
        "--wheel-url",
        default="",
        help="student-bundle, nbgrader, otter: where the notebook's first cell gets the checker's wheel "
        "when none is beside the notebook (the address where the course publishes it)",
    )


def _notebooks(args: argparse.Namespace, session: Session) -> ExitCode:
    """Write (or --check) each language's notebook; OK, or GRADER_FAILED when one is out of step."""
    from autograder.bundles import notebooks
    from autograder.bundles.language import missing

    unit = session.unit
    root = args.out or workspace(unit)
    status = ExitCode.OK
    for lang in [args.lang] if args.lang else list(notebooks.NOTEBOOK_FOLDERS):
        absent = missing(lang, *notebooks.MESSAGES)
        if absent and not args.lang:
            print(f"skipped {notebooks.NOTEBOOK_FOLDERS[lang]}/: {lang}.toml lacks {len(absent)} message(s)")
            continue
        if args.check:
            if notebooks.out_of_step(unit, lang, root):
                print(
                    f"out of step with solutions/: {notebooks.notebook_path(unit, lang, root)} (run `make notebooks`)"
                )
                status = ExitCode.GRADER_FAILED
        else:
            print(f"wrote {notebooks.write_notebook(unit, lang, root)}")
    return status


def run(args: argparse.Namespace, session: Session) -> ExitCode:
    """Raises MissingMessages (a usage error) when the language's catalogue lacks what the build needs."""
    if args.kind == "notebooks":
        return _notebooks(args, session)
    lang = session.lang
    if args.kind == "gradescope":
        from autograder.bundles import gradescope
        from autograder.seeding import load_secret, secret_path

        options = {"torch": args.torch, "index": args.torch_index}
        written = gradescope.build(
            session.unit,
            lang,
            args.out or DIST / gradescope.ZIP_NAME,
            load_secret(secret_path(args.secret_file)),
            **{key: value for key, value in options.items() if value is not None},
        )
    elif args.kind == "student-bundle":
        from autograder.bundles import student

        written = student.build(session.unit, lang, args.out or DIST / student.ZIP_NAME, args.wheel_url)
    elif args.kind == "student-wheel":
        from autograder.bundles import wheel

        written = wheel.build(lang, args.out or DIST)
    elif args.kind == "nbgrader":
        from autograder.bundles import nbgrader

        written = nbgrader.build(session.unit, lang, args.out or DIST / "nbgrader", args.wheel_url)
    elif args.kind == "classroom50":
        from autograder.bundles import classroom50

        written = classroom50.build(session.unit, args.out or DIST / classroom50.FOLDER)
    else:
        from autograder.bundles import otter

        written = otter.build(session.unit, lang, args.out or DIST / "otter", args.wheel_url)
    print(f"wrote {written}")
    return ExitCode.OK
