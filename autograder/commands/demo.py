"""`demo`: grade the bundled sample submissions and print each report, then a summary table."""

from __future__ import annotations

import argparse
import tomllib

from autograder.commands.grade import finish
from autograder.commands.session import Session
from autograder.errors import ExitCode
from autograder.grading import KIT_ROOT
from autograder.i18n import catalogue
from autograder.report import text
from autograder.submission.loader import load

SAMPLES = KIT_ROOT / "samples"


def samples() -> dict[str, dict[str, object]]:
    """The manifest: sample folder (relative to samples/) -> description and expected CPU score."""
    with open(SAMPLES / "manifest.toml", "rb") as handle:
        return tomllib.load(handle)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="print only the summary table")


def run(args: argparse.Namespace, session: Session) -> ExitCode:
    grader, lang, colour = session.grader(), session.lang, session.colour
    cat = catalogue(lang)
    rows = []
    status = ExitCode.OK
    for name, info in samples().items():
        report = grader.grade(load(SAMPLES / name), "hidden")
        if not args.quiet:
            print(text.render(report, lang, colour=colour))
            print("\n" + "─" * 78 + "\n")
        mistakes = sorted(set(report.mistakes()))
        rows.append(
            (
                name.removeprefix("../"),
                f"{report.score:g}/{report.max_score:g}",
                ", ".join(mistakes) or "-",
                str(info["description"]),
            )
        )
        status = max(status, finish(report, lang, None))
    headers = (cat.text("demo.sample"), cat.text("demo.score"), cat.text("demo.mistakes"), cat.text("demo.what"))
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(3)]
    print(cat.text("demo.summary"))
    for row in [headers, *rows]:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3])
    return status
