"""`check --watch`: one warm Grader that checks the student's folder again each time a file is saved.

Starting the checker (Python, torch, the zygote) takes seconds; a check in a warm one takes a fraction
of one. So the watch keeps the Session's Grader, polls the files a load reads, and on a save re-checks
only the exercises of the saved file (and of the files that import it), merged into the last report.
Each check still loads the submission afresh and runs it in fresh sandboxed workers.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from autograder.commands.grade import finish
from autograder.commands.session import Session
from autograder.errors import ExitCode, KitError
from autograder.i18n import catalogue
from autograder.report import text
from autograder.results import GradeReport
from autograder.submission.loader import UnreadableSubmission, _walk_folder, load
from autograder.unit import Unit

POLL_SECONDS = 0.2
"""How often the files are looked at: a save is re-checked within this, plus the check itself."""
CLEAR = "\033[H\033[2J"
"""Cursor home, then clear the screen: a terminal redraws the watch in place."""
SEPARATOR = "─" * 60
"""Between reports where the output is not a terminal (a log, a pipe): nothing is cleared there."""

FileState = tuple[int, int, str] | None
"""A file's mtime_ns, size and SHA-256 (None: absent). An editor may keep the mtime; the content tells."""


def file_state(path: Path) -> FileState:
    try:
        info = path.stat()
        data = path.read_bytes()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, hashlib.sha256(data).hexdigest()


def dependants(unit: Unit, module: str) -> set[str]:
    """`module` and every module that imports it, directly or through others (the unit's `depends_on`)."""
    found = {module}
    grew = True
    while grew:
        more = {m for m, imports in unit.depends_on.items() if found & set(imports)} - found
        found |= more
        grew = bool(more)
    return found


def candidates(source: Path) -> list[Path]:
    """The files a load of `source` may read: every `.py` and `.ipynb` below a folder, as deep as the
    loader looks and by its rules (regular files, no hidden folders), or the file named itself."""
    if not source.is_dir():
        return [source]
    try:
        return [source / relative for relative in _walk_folder(source)]
    except (UnreadableSubmission, OSError):
        return []  # the load says why the folder cannot be read


def affected(path: Path, unit: Unit | None) -> tuple[str, ...] | None:
    """The exercises a save of `path` checks again: those of an exercise file (`<module>.py`, or its
    own `<module>.ipynb`) and of the files that import it; None: all of them (the unit's notebook, a
    file of the student's own, a zip, or any file while the unit is not known)."""
    if unit is None or path.suffix not in (".py", ".ipynb") or path.stem not in unit.modules:
        return None
    saved = dependants(unit, path.stem)
    return tuple(tag for tag in unit.tags if unit.module_of(tag) in saved)


def merged(last: GradeReport | None, new: GradeReport, rechecked: tuple[str, ...]) -> GradeReport:
    """`new`'s results for the exercises re-checked, the last report's for the others, in the unit's order."""
    if last is None or not rechecked:
        return new
    kept = [t for t in last.tests if t.exercise not in rechecked]
    order = {tag: index for index, tag in enumerate(new.exercise_order)}
    tests = sorted([*kept, *new.tests], key=lambda t: order.get(t.exercise, len(order)))
    return replace(new, tests=tests)


@dataclass
class Watch:
    """The watch's state: the last full picture, when each exercise was last checked, the last load error."""

    session: Session
    source: Path
    unit: Unit | None
    """--unit or --exercise's unit; None lets each load say which."""
    exercises: tuple[str, ...]
    """--exercise: only these are ever checked (all of them when empty)."""
    verbose: bool = False
    out: TextIO = field(default_factory=lambda: sys.stdout)
    report: GradeReport | None = None
    checked_at: dict[str, str] = field(default_factory=dict)
    problem: str | None = None
    known: Unit | None = None
    """The unit of the last load that could be read: its files say which exercises a save checks."""
    clock: Callable[[], str] = field(default=lambda: time.strftime("%H:%M:%S"))
    """The time a check is shown to have run at."""

    @property
    def terminal(self) -> bool:
        return self.out.isatty()

    def check(self, tags: tuple[str, ...] | None) -> ExitCode:
        """Load the folder as saved and check `tags` (None: every exercise asked for), then redraw.
        GRADER_FAILED where the grader itself failed (as `check` says it), else OK."""
        grader = self.session.grader()
        lang = self.session.lang
        now = self.clock()
        try:
            submission = load(self.source, self.unit)
        except KitError as fault:
            self.problem = catalogue(lang).text("watch.unreadable", time=now, error=fault.describe(lang))
            self.draw()
            return ExitCode.OK
        self.problem = None
        unit = submission.unit
        wanted = self.exercises or unit.tags
        asked = wanted if tags is None or self.report is None else tuple(t for t in wanted if t in tags)
        if not asked:
            return ExitCode.OK
        if self.report is not None and self.report.exercise_order != list(unit.tags):
            asked = wanted  # the folder now holds another unit's files: nothing of the last picture holds
            self.report = None
        new = grader.grade(submission, "public", exercises=self.exercises if asked == wanted else asked)
        self.report = merged(self.report, new, () if asked == wanted else asked)
        self.checked_at.update(dict.fromkeys(asked, now))
        self.known = unit
        self.draw()
        return finish(new, lang, None)

    def screen(self) -> str:
        """What the watch shows: a line per exercise (its points, when it was last checked), the
        report as `check` prints it, and what keeps the folder from being read, if anything."""
        cat = catalogue(self.session.lang)
        style = text.Style(self.session.colour)
        lines = [style(cat.text("watch.heading", folder=str(self.source)), "bold"), ""]
        if self.report is not None:
            column = max(len(tag) for tag in [*self.report.exercises(), "-"])
            for tag in self.report.exercises():
                score, maximum = self.report.exercise_score(tag)
                mark = style("✓", "green") if score >= maximum else style("✗", "red")
                when = cat.text("watch.checked", time=self.checked_at.get(tag, "-"))
                lines.append(f"  {mark} {tag:<{column}} {score:>5g} / {maximum:<5g} {style(when, 'dim')}")
            lines += ["", text.render(self.report, self.session.lang, colour=self.session.colour, verbose=self.verbose)]
        if self.problem is not None:
            lines += ["", style(self.problem, "red")]
        return "\n".join(lines)

    def draw(self) -> None:
        head = CLEAR if self.terminal else SEPARATOR + "\n"
        self.out.write(head + self.screen() + "\n")
        self.out.flush()

    def changed(self, states: dict[Path, FileState]) -> list[tuple[str, ...] | None]:
        """What each file saved, created or removed since the last poll checks again (see `affected`);
        empty: nothing changed. `states` is updated to what the files hold now."""
        now = {path: file_state(path) for path in candidates(self.source)}
        differ = sorted(path for path in now.keys() | states.keys() if states.get(path) != now.get(path))
        saved = [affected(path, self.known) for path in differ]
        states.clear()
        states.update(now)
        return saved

    def run(self, pause: Callable[[float], None] = time.sleep) -> ExitCode:
        """Check once, then again after each save, until Ctrl-C, which propagates: the CLI ends the run
        (the last report stays on the screen). Ends with GRADER_FAILED if the grader itself fails: it
        would fail again on every save. The tests drive the loop through `pause`."""
        from autograder.cleanup import was_interrupted

        if not self.source.exists():
            load(self.source, self.unit)  # raises the loader's "does not exist": there is nothing to watch
        states = {path: file_state(path) for path in candidates(self.source)}
        status = self.check(None)
        while status != ExitCode.GRADER_FAILED:
            pause(POLL_SECONDS)
            if was_interrupted():
                raise KeyboardInterrupt  # a Ctrl-C whose exception was swallowed on its way up
            saved = self.changed(states)
            if not saved:
                continue
            # A file that re-checks everything, or a folder that could not be read, is checked whole.
            whole = any(affects is None for affects in saved) or self.problem is not None
            status = self.check(None if whole else tuple(tag for affects in saved for tag in affects or ()))
        return status
