"""`demo`: grade the bundled sample submissions and print each report, then a summary table: every
installed unit's that has samples, unit by unit under a heading, or with --unit that unit's only."""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

from autograder import units
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


def has_samples(unit: Unit) -> bool:
    return (unit.samples / "manifest.toml").is_file()


def shown(unit_name: str | None) -> list[Unit]:
    """The units whose samples the demo grades: the one --unit names, else every installed one with samples."""
    if unit_name is not None:
        return [units.get(unit_name)]
    return [unit for unit in units.installed().values() if has_samples(unit)]


def run(args: argparse.Namespace, session: Session) -> ExitCode:
    status = ExitCode.OK
    for unit in shown(session.unit_name):
        heading = catalogue(session.lang).text("demo.unit", unit=unit.name)
        print(f"{heading}\n{'═' * len(heading)}\n")
        status = max(status, _demo(unit, args, session))
    return status


def _demo(unit: Unit, args: argparse.Namespace, session: Session) -> ExitCode:
    """One unit's samples: each report (unless --quiet), then the summary table."""
    grader, lang, colour = session.grader(), session.lang, session.colour
    cat = catalogue(lang)
    rows = []
    status = ExitCode.OK
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
    print()
    return status
