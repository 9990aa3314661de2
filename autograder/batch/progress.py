"""A one-line progress bar for batch grading: the students so far by status, as the summary counts
them (graded, could not be read, grader failed), how many were unchanged, and an ETA."""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import TextIO

from autograder.i18n import catalogue


class Progress:
    """Redraws one line on a terminal; elsewhere (CI logs) prints a line every few seconds."""

    def __init__(self, total: int, lang: str = "en", stream: TextIO = sys.stderr, width: int = 30) -> None:
        self.total = total
        self.lang = lang
        self.stream = stream
        self.width = width
        self.started = time.monotonic()
        self.last_line = 0.0
        self.tty = stream.isatty()
        self.statuses: Counter[str] = Counter()
        self.unchanged = 0
        self.graded_now = 0
        self.first_grading: float | None = None

    @property
    def done(self) -> int:
        return sum(self.statuses.values())

    def started_grading(self) -> None:
        """The judges are about to start: the ETA counts from here, not from the scan."""
        self.first_grading = time.monotonic()

    def advance(self, status: str, *, unchanged: bool = False) -> None:
        """One more student, with the status the summary will show for it."""
        self.statuses[status] += 1
        if unchanged:
            self.unchanged += 1
        else:
            self.graded_now += status != "unreadable"
        self.draw()

    def line(self) -> str:
        filled = round(self.width * self.done / self.total) if self.total else self.width
        now = time.monotonic()
        grading = now - (self.first_grading or self.started)
        remaining = self.total - self.done
        eta = f"{grading / self.graded_now * remaining:.0f}s" if self.graded_now and remaining else "-"
        bar = "#" * filled + "." * (self.width - filled)
        text = catalogue(self.lang).text(
            "batch.progress",
            done=self.done,
            total=self.total,
            graded=self.statuses["graded"],
            unreadable=self.statuses["unreadable"],
            failed=self.statuses["grader_failed"],
            unchanged=self.unchanged,
            eta=eta,
            elapsed=f"{now - self.started:.0f}s",
        )
        return f"[{bar}] {text}"

    def draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if self.tty:
            self.stream.write("\r" + self.line())
            self.stream.flush()
        elif force or now - self.last_line >= 5 or self.done == self.total:
            self.stream.write(self.line() + "\n")
            self.stream.flush()
            self.last_line = now

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
