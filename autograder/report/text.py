"""Plain-text rendering: the terminal report (colour on a TTY) and pytest's failure text."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from autograder.feedback import Comparison, Feedback, Shown
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


def _number(value: Any) -> str:
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        return f"{value:.4g}"
    return str(value)


def array_lines(values: Any) -> list[str]:
    """A small nested list as aligned rows; 3-D arrays as slices one under another."""
    if values is None:
        return []
    if not isinstance(values, list):
        return [_number(values)]
    if not values or not isinstance(values[0], list):
        return ["[" + "  ".join(_number(v) for v in values) + "]"]
    if isinstance(values[0][0], list):
        lines: list[str] = []
        for index, plane in enumerate(values):
            lines.append(f"[{index}]")
            lines.extend(array_lines(plane))
        return lines
    cells = [[_number(v) for v in row] for row in values]
    width = max((len(c) for row in cells for c in row), default=1)
    return ["[" + "  ".join(c.rjust(width) for c in row) + "]" for row in cells]


def _block(shown: Shown, lang: str) -> list[str]:
    cat = catalogue(lang)
    title = cat.text(f"report.{shown.name}") if shown.name in ("expected", "got") else shown.name
    if shown.shape:
        title += f" {tuple(shown.shape)}"
    if shown.dtype:
        title += f" {shown.dtype}"
    lines = array_lines(shown.values)
    if not lines:
        lines = [cat.text("report.not_shown")]
    return [title, *lines]


def width(text: str) -> int:
    """Columns `text` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def side_by_side(blocks: list[list[str]], gap: int = 4, width_limit: int = 110) -> list[str]:
    """Blocks next to each other; one under another when that would be wider than `width_limit`."""
    widths = [max(width(line) for line in block) for block in blocks]
    if sum(widths) + gap * (len(blocks) - 1) > width_limit:
        return [line for block in blocks for line in block]
    height = max(len(block) for block in blocks)
    rows = []
    for i in range(height):
        parts = [pad(block[i] if i < len(block) else "", w) for block, w in zip(blocks, widths, strict=True)]
        rows.append((" " * gap).join(parts).rstrip())
    return rows


def comparison_lines(comparison: Comparison, lang: str) -> list[str]:
    cat = catalogue(lang)
    inputs = [_block(s, lang) for s in comparison.inputs]
    results = [_block(comparison.expected, lang), _block(comparison.got, lang)]
    together = side_by_side(inputs + results)
    if len(together) <= max(len(b) for b in inputs + results):
        lines = together
    else:
        lines = side_by_side(inputs) + side_by_side(results)
    for index, expected, got in comparison.first_differences:
        lines.append(cat.text("report.difference", index=str(index), expected=_number(expected), got=_number(got)))
    return lines


def feedback_text(feedback: Feedback, lang: str, style: Style | None = None, indent: str = "") -> str:
    style = style or Style(False)
    cat = catalogue(lang)
    lines = [style(feedback.summary.render(lang), "bold")]
    for detail in feedback.details:
        lines.append(detail.render(lang))
    if feedback.hint is not None:
        lines.append(
            cat.text("report.fix_line", label=style(cat.text("report.fix"), "cyan"), hint=feedback.hint.render(lang))
        )
    if feedback.comparison is not None:
        lines.extend(comparison_lines(feedback.comparison, lang))
    if feedback.smallest is not None:
        lines.append(style(cat.text("report.smallest"), "yellow"))
        lines.extend(comparison_lines(feedback.smallest, lang))
    if feedback.code:
        lines.append(style(cat.text("report.your_code"), "dim"))
        lines.extend("  " + line for line in feedback.code.splitlines()[-30:])
    return "\n".join(indent + line for line in lines)


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
    for exercise in in_order((t.exercise for t in tests), exercise_order):
        own = [t for t in tests if t.exercise == exercise]
        score = sum(t.score for t in own)
        maximum = sum(t.max_score for t in own if t.counted)
        colour = "green" if score >= maximum else ("red" if score == 0 else "yellow")
        lines.append(
            f"  {exercise:<13} {_points(score):>5} / {_points(maximum):<5} {style(_bar(score, maximum), colour)}"
        )
    total = sum(t.score for t in tests)
    maximum = sum(t.max_score for t in tests if t.counted)
    lines.append(style(f"  {pad(cat.text('report.total'), 13)} {_points(total):>5} / {_points(maximum):<5}", "bold"))
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
