"""Plain-text rendering: the terminal report (colour on a TTY) and pytest's failure text."""

from __future__ import annotations

from collections.abc import Sequence

from autograder.feedback import feedback_text, pad
from autograder.feedback import width as display_width
from autograder.i18n import catalogue
from autograder.report.groups import failing_groups
from autograder.results import GradeReport, TestResult, in_order
from autograder.scoring import left_out, left_out_note

_COLOURS = {"green": "32", "red": "31", "yellow": "33", "dim": "2", "bold": "1", "cyan": "36"}


class Style:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, *names: str) -> str:
        if not self.colour or not names:
            return text
        codes = ";".join(_COLOURS[n] for n in names)
        return f"\033[{codes}m{text}\033[0m"


def _bar(score: float, maximum: float, width: int = 20) -> str:
    filled = 0 if maximum <= 0 else round(width * score / maximum)
    return "█" * filled + "░" * (width - filled)


def _points(value: float) -> str:
    return f"{value:g}"


def summary_table(
    tests: list[TestResult], lang: str, style: Style | None = None, exercise_order: Sequence[str] = ()
) -> str:
    """Points per exercise (in `exercise_order`, then as first seen) and the total."""
    style = style or Style(False)
    cat = catalogue(lang)
    lines = []
    exercises = in_order((t.exercise for t in tests), exercise_order)
    total_label = cat.text("report.total")
    column = max([13, display_width(total_label), *(len(e) for e in exercises)])
    for exercise in exercises:
        own = [t for t in tests if t.exercise == exercise]
        score = sum(t.score for t in own)
        maximum = sum(t.max_score for t in own if t.counted)
        colour = "green" if score >= maximum else ("red" if score == 0 else "yellow")
        lines.append(
            f"  {exercise:<{column}} {_points(score):>5} / {_points(maximum):<5} {style(_bar(score, maximum), colour)}"
        )
    total = sum(t.score for t in tests)
    maximum = sum(t.max_score for t in tests if t.counted)
    lines.append(style(f"  {pad(total_label, column)} {_points(total):>5} / {_points(maximum):<5}", "bold"))
    for reason, points in left_out(tests):
        note = cat.render(left_out_note(reason, points, _points(points)))
        lines.append(style("  " + note, "dim"))
    return "\n".join(lines)


def render(report: GradeReport, lang: str, colour: bool = False, verbose: bool = False) -> str:
    """The report a person reads in a terminal: a table of points, then every failing test's feedback."""
    style = Style(colour)
    cat = catalogue(lang)
    suite = cat.text(f"report.suite.{report.suite}")
    lines = [style(cat.text("report.heading", source=report.submission.source, suite=suite), "bold")]
    files = ", ".join(report.submission.files) or "-"
    lines.append(style(cat.text("report.files", files=files), "dim"))
    for note in report.submission.notes:
        lines.append(style("  " + note.render(lang), "yellow"))
    lines.append("")
    lines.append(summary_table(report.tests, lang, style, report.exercise_order))
    failing = [t for t in report.tests if t.status in ("failed", "error")]
    for group in failing_groups(report.tests, with_passed=verbose):
        first = group[0]
        lines.append("")
        mark = style("✗", "red") if first.status != "passed" else style("✓", "green")
        names = catalogue(lang).text("report.joiner").join(t.name.render(lang) for t in group)
        score = sum(t.score for t in group)
        maximum = sum(t.max_score for t in group)
        lines.append(style(f"{mark} {first.exercise} · {names}  ({_points(score)}/{_points(maximum)})", "bold"))
        if first.feedback is not None:
            lines.append(feedback_text(first.feedback, lang, style, indent="    "))
    lines.append("")
    if not failing:
        lines.append(style(cat.text("report.all_passed"), "green"))
    lines.append(style(cat.text("report.timing", seconds=f"{report.seconds:.2f}"), "dim"))
    return "\n".join(lines)
