"""feedback.html: one submission's report as a single offline page.

The same content as feedback.md, plus pictures: wherever a test compares arrays, expected, got and
their difference are drawn as heatmaps on one diverging colour scale, so a flipped kernel (the
picture mirrored), a transposed output (the picture turned) or a missing row stands out before
any number is read. The markup is templates/feedback.html; this module works out what it shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from autograder.feedback import Comparison, Feedback, Shown, number_text
from autograder.i18n import Catalogue, catalogue
from autograder.report.groups import failing_groups
from autograder.report.htmlpage import diverging, is_dark, render_page
from autograder.results import GradeReport, TestResult
from autograder.scoring import left_out, left_out_note

MAP_SIDE = 180
"""Pixels along the longer side of a heatmap, before the cell size is clamped."""
CELL_MIN, CELL_MAX = 10, 38
CELL_FONT = 11
CODE_LINES = 30
"""Only the end of a long traceback is shown: the line that raised is the last one."""
LEGEND_STEPS, LEGEND_STEP, LEGEND_LEFT = 30, 4, 18
"""The colour scale's strip: its rectangles, their width, and the room left and right for labels."""


def _matrix(values: Any) -> list[list[float]] | None:
    """Rows of numbers for a 2-D value, a single row for a 1-D one; None for anything else."""
    if not isinstance(values, list) or not values:
        return None
    rows = values if all(isinstance(row, list) for row in values) else [values]
    if len({len(row) for row in rows}) != 1 or not rows[0]:
        return None
    if not all(isinstance(v, int | float) for row in rows for v in row):
        return None
    return [[float(v) for v in row] for row in rows]


def _finite_limit(*matrices: list[list[float]]) -> float:
    """The largest finite magnitude: the end of a colour scale centred at 0."""
    return max((abs(v) for m in matrices for row in m for v in row if math.isfinite(v)), default=0.0)


def _fits(rows: list[list[float]], cell: int) -> bool:
    """Whether every value can be printed inside its cell (short numbers: integers, simple decimals)."""
    return all(len(number_text(v)) * CELL_FONT * 0.62 + 4 <= cell for row in rows for v in row)


@dataclass(frozen=True)
class _Cell:
    x: int
    y: int
    colour: str
    ink: str
    tip: str
    value: str


@dataclass(frozen=True)
class _Heatmap:
    """An SVG heatmap; each cell tells its value on hover, and prints it when `printed`."""

    label: str
    width: int
    height: int
    cell: int
    printed: bool
    cells: list[_Cell]
    font: int = CELL_FONT


def _heatmap(rows: list[list[float]], limit: float, cell: int, tips: list[list[str]], label: str) -> _Heatmap:
    cells = []
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            colour = diverging(value, limit)
            ink = "#ffffff" if is_dark(colour) else "#2a2e35"
            cells.append(_Cell(j * cell, i * cell, colour, ink, tips[i][j], number_text(value)))
    return _Heatmap(label, len(rows[0]) * cell, len(rows) * cell, cell, _fits(rows, cell), cells)


@dataclass(frozen=True)
class _Legend:
    """The colour scale from -limit to +limit, as a strip of small rectangles (no ids, no gradients)."""

    end: str
    colours: list[str]
    width: int = LEGEND_LEFT * 2 + LEGEND_STEPS * LEGEND_STEP
    left: int = LEGEND_LEFT
    step: int = LEGEND_STEP


def _legend(limit: float) -> _Legend:
    colours = [diverging((2 * (k + 0.5) / LEGEND_STEPS - 1) * limit, limit) for k in range(LEGEND_STEPS)]
    return _Legend(f"{limit:.3g}", colours)


def _tips(rows: list[list[float]]) -> list[list[str]]:
    if len(rows) == 1:
        return [[f"[{j}] = {v:.6g}" for j, v in enumerate(rows[0])]]
    return [[f"[{i}, {j}] = {v:.6g}" for j, v in enumerate(row)] for i, row in enumerate(rows)]


def _shape(shown: Shown) -> str:
    return f"{tuple(shown.shape)} {shown.dtype}".strip() if shown.shape else shown.dtype


def _drawable(comparison: Comparison | None) -> bool:
    return comparison is not None and None not in (_matrix(comparison.expected.values), _matrix(comparison.got.values))


@dataclass(frozen=True)
class _Figure:
    """A captioned picture: a heatmap, or a table of numbers."""

    name: str
    shape: str = ""
    heatmap: _Heatmap | None = None
    table: _Table | None = None


@dataclass(frozen=True)
class _Maps:
    """Expected and got on one scale; their difference on its own, or why there is none."""

    pair: list[_Figure]
    legend: _Legend
    difference: _Figure | None
    difference_legend: _Legend | None
    shapes_differ: str
    printed: bool
    """Expected and got print their numbers in their cells, which makes their tables redundant."""


def _maps(comparison: Comparison, cat: Catalogue) -> _Maps | None:
    """Expected, got and got − expected as heatmaps, when both sides are 1-D or 2-D arrays of numbers."""
    expected, got = _matrix(comparison.expected.values), _matrix(comparison.got.values)
    if expected is None or got is None:
        return None
    longest = max(len(expected), len(expected[0]), len(got), len(got[0]))
    cell = min(max(MAP_SIDE // longest, CELL_MIN), CELL_MAX)
    limit = _finite_limit(expected, got)
    pair = [
        _Figure(cat.text(key), _shape(shown), _heatmap(rows, limit, cell, _tips(rows), cat.text(key)))
        for key, shown, rows in (("html.expected", comparison.expected, expected), ("html.got", comparison.got, got))
    ]
    printed = _fits(expected, cell) and _fits(got, cell)
    if len(expected) != len(got) or len(expected[0]) != len(got[0]):
        note = cat.text(
            "html.shapes_differ", expected=_shape(comparison.expected) or "-", got=_shape(comparison.got) or "-"
        )
        return _Maps(pair, _legend(limit), None, None, note, printed)
    difference = [[g - e for e, g in zip(er, gr, strict=True)] for er, gr in zip(expected, got, strict=True)]
    # Rounding noise stays white: the scale never ends below a millionth of the values' own scale.
    spread = max(_finite_limit(difference), limit * 1e-6)
    tips = [
        [f"[{i}, {j}]: {g:.6g} − {e:.6g} = {d:.6g}" for j, (e, g, d) in enumerate(zip(er, gr, dr, strict=True))]
        for i, (er, gr, dr) in enumerate(zip(expected, got, difference, strict=True))
    ]
    label = cat.text("html.difference")
    drawn = _Figure(label, heatmap=_heatmap(difference, spread, cell, tips, label))
    return _Maps(pair, _legend(limit), drawn, _legend(spread), "", printed)


@dataclass(frozen=True)
class _Table:
    """Numbers as a small table (`rows`); values of three or more dimensions as one table per slice."""

    rows: list[list[str]] = field(default_factory=list)
    planes: list[_Table] = field(default_factory=list)
    shown: bool = True


def _table(values: Any) -> _Table:
    if values is None:
        return _Table(shown=False)
    if not isinstance(values, list):
        values = [[values]]
    elif values and all(isinstance(plane, list) and plane and isinstance(plane[0], list) for plane in values):
        return _Table(planes=[_table(plane) for plane in values])
    elif not values or not isinstance(values[0], list):
        values = [values]
    return _Table(rows=[[number_text(v) for v in row] for row in values])


@dataclass(frozen=True)
class _ComparisonView:
    figures: list[_Figure]
    maps: _Maps | None
    differences: list[str]


def _comparison(comparison: Comparison, cat: Catalogue) -> _ComparisonView:
    maps = _maps(comparison, cat)
    figures = [_Figure(shown.name, _shape(shown), table=_table(shown.values)) for shown in comparison.inputs]
    if maps is None or not maps.printed:
        figures += [
            _Figure(cat.text(key), _shape(shown), table=_table(shown.values))
            for key, shown in (("html.expected", comparison.expected), ("html.got", comparison.got))
        ]
    differences = [
        cat.text("report.difference", index=str(index), expected=number_text(e), got=number_text(g)).strip()
        for index, e, g in comparison.first_differences
    ]
    return _ComparisonView(figures, maps, differences)


@dataclass(frozen=True)
class _FeedbackView:
    feedback: Feedback
    label: str
    """The named mistake's label, or "" where none is named."""
    comparison: _ComparisonView | None
    smallest: _ComparisonView | None
    code: str


def _feedback(feedback: Feedback, cat: Catalogue) -> _FeedbackView:
    label_key = f"mistake_label.{feedback.mistake}"
    return _FeedbackView(
        feedback,
        cat.text(label_key) if feedback.mistake and cat.has(label_key) else "",
        _comparison(feedback.comparison, cat) if feedback.comparison is not None else None,
        _comparison(feedback.smallest, cat) if feedback.smallest is not None else None,
        "\n".join(feedback.code.splitlines()[-CODE_LINES:]),
    )


@dataclass(frozen=True)
class _Card:
    """One failing test, or neighbours that share their feedback."""

    tests: list[TestResult]
    anchor: str
    feedback: _FeedbackView | None

    @property
    def score(self) -> float:
        return sum(t.score for t in self.tests)

    @property
    def maximum(self) -> float:
        return sum(t.max_score for t in self.tests)


@dataclass(frozen=True)
class _Row:
    """An exercise in the score table."""

    exercise: str
    score: float
    maximum: float
    passed: int
    total: int
    linked: bool

    @property
    def fraction(self) -> float:
        return self.score / self.maximum if self.maximum else 1.0


def _rows(report: GradeReport, linked: set[str]) -> list[_Row]:
    rows = []
    for exercise in report.exercises():
        score, maximum = report.exercise_score(exercise)
        counted = [t for t in report.tests if t.exercise == exercise and t.counted and t.status != "skipped"]
        passed = sum(t.status == "passed" for t in counted)
        rows.append(_Row(exercise, score, maximum, passed, len(counted), exercise in linked))
    return rows


def _cards(report: GradeReport, cat: Catalogue) -> list[_Card]:
    """The failing groups; the first card of each exercise is the score table's link target."""
    cards, anchored = [], set()
    for group in failing_groups(report.tests):
        anchor = f"ex-{group[0].exercise}"
        feedback = _feedback(group[0].feedback, cat) if group[0].feedback is not None else None
        cards.append(_Card(group, "" if anchor in anchored else anchor, feedback))
        anchored.add(anchor)
    return cards


def render(report: GradeReport, lang: str) -> str:
    """feedback.html: the score table, then every test that did not pass, with its feedback and pictures."""
    cat = catalogue(lang)
    cards = _cards(report, cat)
    drawn = any(_drawable(t.feedback.comparison) or _drawable(t.feedback.smallest) for t in report.tests if t.feedback)
    mistakes = [f"mistake_label.{m}" for m in dict.fromkeys(report.mistakes())]
    return render_page(
        "feedback.html",
        f"{cat.text('report.md_title')} · {report.submission.source}",
        lang,
        cat=cat,
        report=report,
        fraction=report.score / report.max_score if report.max_score else 1.0,
        files=", ".join(report.submission.files) or "-",
        mistake_labels=[cat.text(key) for key in mistakes if cat.has(key)],
        rows=_rows(report, {card.anchor.removeprefix("ex-") for card in cards if card.anchor}),
        left_out=[cat.render(left_out_note(reason, total, f"{total:g}")) for reason, total in left_out(report.tests)],
        cards=cards,
        failing=sum(len(card.tests) for card in cards),
        drawn=drawn,
    )
