"""`demo`: grade the bundled sample submissions and print each report, then a summary table."""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

from autograder.commands.grade import finish
from autograder.commands.session import Session
from autograder.errors import ExitCode
from autograder.i18n import catalogue
from autograder.paths import workspace
from autograder.report import text
from autograder.submission.loader import load
from autograder.unit import Unit


def samples(unit: Unit) -> dict[str, dict[str, object]]:
    """The unit's manifest: sample name -> description and expected CPU score (and `stubs = true` for
    the untouched stubs, which live in the kit's workspace rather than among the unit's files)."""
    with open(unit.samples / "manifest.toml", "rb") as handle:
        return tomllib.load(handle)


def sample_folder(unit: Unit, name: str, info: dict[str, object]) -> Path:
    """Where the sample `name` is: the unit's samples/NAME, or the workspace's exercises/ for the stubs."""
    return workspace(unit) / "exercises" if info.get("stubs") else unit.samples / name


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="print only the summary table")


def run(args: argparse.Namespace, session: Session) -> ExitCode:
    grader, lang, colour = session.grader(), session.lang, session.colour
    cat = catalogue(lang)
    rows = []
    status = ExitCode.OK
    unit = session.unit
    for name, info in samples(unit).items():
        report = grader.grade(load(sample_folder(unit, name, info), unit), "hidden")
        if not args.quiet:
            print(text.render(report, lang, colour=colour))
            print("\n" + "─" * 78 + "\n")
        mistakes = sorted(set(report.mistakes()))
        rows.append(
            (
                name,
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
