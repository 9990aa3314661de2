"""A one-line progress bar for batch grading: done, failed, skipped, and an ETA."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Redraws one line on a terminal; elsewhere (CI logs) prints a line every few seconds."""

    def __init__(self, total: int, stream: TextIO = sys.stderr, width: int = 30) -> None:
        self.total = total
        self.stream = stream
        self.width = width
        self.started = time.monotonic()
        self.last_line = 0.0
        self.tty = stream.isatty()
        self.done = self.failed = self.skipped = 0

    def advance(self, *, failed: bool = False, skipped: bool = False) -> None:
        self.done += 1
        self.failed += failed
        self.skipped += skipped
        self.draw()

    def line(self) -> str:
        filled = round(self.width * self.done / self.total) if self.total else self.width
        elapsed = time.monotonic() - self.started
        graded = self.done - self.skipped
        remaining = self.total - self.done
        eta = f"{elapsed / graded * remaining:.0f}s" if graded and remaining else "-"
        bar = "#" * filled + "." * (self.width - filled)
        return (
            f"[{bar}] {self.done}/{self.total} done, {self.failed} failed, {self.skipped} unchanged, "
            f"ETA {eta}, {elapsed:.0f}s"
        )

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
