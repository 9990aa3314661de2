"""What every command gets from the CLI: the language, colour, limits, and a warm Grader on demand.

Light to import: the Grader (torch, pytest) is imported only when a command asks for it, so that
commands which grade nothing (export, exercises, --help) start at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from autograder import units
from autograder.sandbox.limits import Limits
from autograder.unit import Unit

if TYPE_CHECKING:
    from autograder.grading import Grader


@dataclass
class Session:
    lang: str
    colour: bool
    limits: Limits
    scratch: Path
    """The run's private folder (see autograder.cleanup): everything written outside --out goes there."""
    secret_file: Path | None = None
    """The file of the instructor's secret that seeds the hidden inputs (grade, grade-batch)."""
    unit_name: str | None = None
    """--unit: None lets a submission's files say which unit it is (see autograder.submission.loader)."""
    stays_up: bool = False
    """Whether the Grader is to serve grades for as long as the user works (watch, a notebook's checker)."""
    _grader: Grader | None = field(default=None, repr=False)

    @property
    def unit(self) -> Unit:
        """The unit named by --unit, else the first installed."""
        return units.get(self.unit_name)

    def grader(self) -> Grader:
        """The Grader, started on first use: its zygote is forked before this process computes anything."""
        if self._grader is None:
            from autograder.grading import Grader

            self._grader = Grader(self.limits, secret_file=self.secret_file, stays_up=self.stays_up)
        return self._grader

    def close(self) -> None:
        if self._grader is not None:
            self._grader.close()
            self._grader = None
