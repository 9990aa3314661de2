"""What a test tells the student: structured, so every reporter and language renders it its own way,
and its plain text (pytest's failure text, the terminal report, JUnit), which needs no reporter."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from autograder.errors import StudentFault
from autograder.i18n import Message, catalogue


@dataclass(frozen=True)
class Shown:
    """A small array to show, as nested lists (or a note when it cannot be shown)."""

    name: str
    values: Any = None
    shape: tuple[int, ...] = ()
    dtype: str = ""
    device: str = ""


@dataclass(frozen=True)
class Comparison:
    """Inputs, expected and actual values side by side: the core of a value mismatch."""

    inputs: tuple[Shown, ...]
    expected: Shown
    got: Shown
    first_differences: tuple[tuple[tuple[int, ...], float, float], ...] = ()
    """Up to five (index, expected, got) triples where the two differ."""


@dataclass(frozen=True)
class Feedback:
    """Why a test failed and what to do about it."""

    summary: Message
    details: tuple[Message, ...] = ()
    mistake: str | None = None
    """Identifier of a named mistake (see judge/mistakes.py), for hints and class statistics."""
    hint: Message | None = None
    code: str = ""
    """Verbatim text from the student's side: a trimmed traceback or printed output."""
    comparison: Comparison | None = None
    smallest: Comparison | None = None
    """The smallest input found on which the submission fails, when a search found one."""
    extra: dict[str, Any] = field(default_factory=dict)


class Failure(StudentFault, AssertionError):
    """Raised by a check: the test fails with this feedback."""

    def __init__(self, feedback: Feedback) -> None:
        super().__init__(feedback.summary.key)
        self.feedback = feedback


# ----------------------------------------------------------------------------- plain text

Styler = Callable[..., str]
"""(text, *style names) -> the text as shown: a terminal's colours, or the text unchanged."""


def unstyled(text: str, *names: str) -> str:
    return text


def number_text(value: Any) -> str:
    """A shown value, in every report: floats to four significant digits."""
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def array_lines(values: Any) -> list[str]:
    """A small nested list as aligned rows; 3-D arrays as slices one under another."""
    if values is None:
        return []
    if not isinstance(values, list):
        return [number_text(values)]
    if not values or not isinstance(values[0], list):
        return ["[" + "  ".join(number_text(v) for v in values) + "]"]
    if isinstance(values[0][0], list):
        lines: list[str] = []
        for index, plane in enumerate(values):
            lines.append(f"[{index}]")
            lines.extend(array_lines(plane))
        return lines
    cells = [[number_text(v) for v in row] for row in values]
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
        lines.append(
            cat.text("report.difference", index=str(index), expected=number_text(expected), got=number_text(got))
        )
    return lines


def feedback_text(feedback: Feedback, lang: str, style: Styler = unstyled, indent: str = "") -> str:
    """The feedback as text: what pytest prints for a failed test, and (styled) the terminal report's."""
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
