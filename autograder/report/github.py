"""GitHub Actions: the report in the job summary, failures as annotations, the score as step outputs.

Everything comes from the one GradeReport, so the summary, the annotations, the outputs, results.json
and the exit code (--fail-under) state the same score. Annotations are workflow commands on stdout
(`::error file=...,line=...::`); GitHub shows them on the student's lines in the commit and the pull
request. The files GitHub names in GITHUB_STEP_SUMMARY and GITHUB_OUTPUT are appended to.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Mapping
from pathlib import Path

from autograder.i18n import catalogue
from autograder.report import markdown
from autograder.results import GradeReport, TestResult

MAX_ANNOTATIONS = 10
"""GitHub shows at most 10 error annotations per step; the summary has every failure."""


def _data(text: str) -> str:
    """A workflow command's message: GitHub's escapes for %, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property value: also ':' and ','."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: str | int) -> str:
    """One workflow command line, such as `::error file=a.py,line=3,title=...::message`."""
    props = ",".join(f"{key}={_property(str(value))}" for key, value in properties.items())
    return f"::{kind}{' ' + props if props else ''}::{_data(message)}"


def _exercise_file(submission: Path, name: str | None) -> Path | None:
    """Where the exercise's file `name` is in a submission folder: at its top or one folder down."""
    if submission.is_file():
        return submission
    if name is None:
        return None
    for candidate in (submission / name, *sorted(submission.glob(f"*/{name}"))):
        if candidate.is_file():
            return candidate
    return None


def _definition_line(path: Path, tag: str) -> int | None:
    """The line of the exercise's `def` or `class`, read without running the file."""
    if path.suffix != ".py":
        return None
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except (SyntaxError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == tag:
            return node.lineno
    return None


def _failing_line(test: TestResult, path: Path) -> int | None:
    """The line of the student's file that a traceback in the feedback ends on, if any."""
    if test.feedback is None or not test.feedback.code:
        return None
    pattern = rf'{re.escape(path.name)}", line (\d+)|{re.escape(path.name)}:(\d+)'
    lines = [int(a or b) for a, b in re.findall(pattern, test.feedback.code)]
    return lines[-1] if lines else None


def annotation_commands(
    report: GradeReport, submission: Path, lang: str, exercise_files: Mapping[str, str], base: Path | None = None
) -> list[str]:
    """An ::error:: per failed test (on the student's line where known), and a ::notice:: with the score.

    `exercise_files`: the file each exercise is written in (the unit's Unit.file_of).
    """
    cat = catalogue(lang)
    base = base or Path.cwd()
    lines = []
    failed = [t for t in report.tests if t.counted and t.status in ("failed", "error")]
    for test in failed[:MAX_ANNOTATIONS]:
        title = f"{test.exercise}: {test.name.render(lang)} ({test.score:g}/{test.max_score:g})"
        message = test.feedback.summary.render(lang) if test.feedback else title
        where: dict[str, str | int] = {}
        path = _exercise_file(submission, exercise_files.get(test.exercise))
        if path is not None:
            where["file"] = os.path.relpath(path.resolve(), base.resolve())
            line = _failing_line(test, path) or _definition_line(path, test.exercise)
            if line is not None:
                where["line"] = line
        lines.append(command("error", message, **where, title=title))
    score = cat.text("report.gs_summary", score=f"{report.score:g}", max=f"{report.max_score:g}")
    lines.append(command("notice", score, title=cat.text("report.md_title")))
    return lines


def summary(report: GradeReport, lang: str, fail_under: float | None = None) -> str:
    """The job summary: the score, then feedback.md (the table per exercise and every failed test)."""
    cat = catalogue(lang)
    parts = [f"## {cat.text('report.gs_summary', score=f'{report.score:g}', max=f'{report.max_score:g}')}", ""]
    if fail_under is not None and report.score < fail_under:
        parts += [f"> {cat.text('report.fail_under', score=f'{report.score:g}', limit=f'{fail_under:g}')}", ""]
    return "\n".join([*parts, markdown.render(report, lang)])


def unreadable_summary(reason: str, lang: str) -> str:
    return f"## {catalogue(lang).text('report.unreadable_score')}\n\n{reason}\n"


def outputs(score: float, max_score: float | None) -> str:
    """Step outputs (`steps.<id>.outputs.score`), for a later step or another job."""
    text = f"score={score:g}\n"
    return text + (f"max_score={max_score:g}\n" if max_score is not None else "")


def _append(variable: str, text: str) -> None:
    target = os.environ.get(variable)
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(text)


def publish(
    report: GradeReport, submission: Path, lang: str, fail_under: float | None, exercise_files: Mapping[str, str]
) -> None:
    """Annotations on stdout; the summary and the outputs where GitHub Actions reads them."""
    for line in annotation_commands(report, submission, lang, exercise_files):
        print(line)
    _append("GITHUB_STEP_SUMMARY", summary(report, lang, fail_under))
    _append("GITHUB_OUTPUT", outputs(report.score, report.max_score))


def publish_unreadable(reason: str, lang: str) -> None:
    """A submission that could not be read still records its score, 0, with the reason."""
    print(command("error", reason, title=catalogue(lang).text("report.unreadable_score")))
    _append("GITHUB_STEP_SUMMARY", unreadable_summary(reason, lang))
    _append("GITHUB_OUTPUT", outputs(0, None))
