"""Grade submissions: one warm process, one zygote, one pytest session per submission.

The Grader forks its zygote before anything else happens in the process, so workers never inherit
hidden tests, reference values, threads or CUDA state. Then each `grade()` runs the chosen suite
in-process, with the submission behind sandboxed workers.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import time
from pathlib import Path

import pytest

from autograder import __version__
from autograder.judge.plugin import GradingPlugin
from autograder.results import GradeReport, SubmissionInfo
from autograder.sandbox.isolation import close_to_others
from autograder.sandbox.limits import Limits
from autograder.sandbox.zygote import Zygote, python_installation
from autograder.submission.loader import LoadedSubmission

KIT_ROOT = Path(__file__).resolve().parent.parent
SUITES = ("public", "hidden")


def suite_dir(suite: str) -> Path:
    if suite not in SUITES:
        raise ValueError(f"unknown suite {suite!r}; one of {SUITES}")
    return KIT_ROOT / "tests" / suite


def private_paths(*extra: str | os.PathLike[str]) -> list[str]:
    """What a worker must never see: the whole kit (its tests, solutions, bundles, git history; a Python
    installation inside it stays usable), plus the given paths."""
    paths = [KIT_ROOT, *(Path(p) for p in extra if p)]
    return sorted({str(p.resolve()) for p in paths if p.exists()})


class Grader:
    """A warm grading process. Create it before computing anything; reuse it for many submissions."""

    def __init__(self, limits: Limits | None = None, namespaces: bool = True) -> None:
        self.limits = limits or Limits.from_env()
        self.zygote = Zygote.start(self.limits, use_namespaces=namespaces)
        isolation = self.zygote.isolation
        self.kit_closed = isolation.as_root and not isolation.namespaces and not isolation.landlock
        if self.kit_closed:
            # Only the worker's own user keeps it from the kit here: make sure "others" cannot read it.
            close_to_others([str(KIT_ROOT)], [*python_installation(), tempfile.gettempdir()])

    def grade(
        self,
        submission: LoadedSubmission,
        suite: str = "hidden",
        hide: tuple[str | os.PathLike[str], ...] = (),
        exercises: tuple[str, ...] = (),
    ) -> GradeReport:
        """Run `suite` on `submission`; `exercises` limits it to those exercise tags."""
        started = time.monotonic()
        source = Path(submission.source)
        # The folder around the submission too: in a class folder, the other students' work.
        around = [source.resolve().parent] if source.exists() and source.resolve().parent != Path("/") else []
        masked = private_paths(submission.source, *around, *hide)
        plugin = GradingPlugin(submission, self.zygote, self.limits, masked, exercises)
        args = [
            str(suite_dir(suite)),
            "-c",
            os.devnull,
            "--rootdir",
            str(KIT_ROOT),
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:logging",
            "-p",
            "no:warnings",
            "-p",
            "no:stepwise",
            # These two run gc.collect() after every session: a tenth of a second each with torch loaded.
            "-p",
            "no:unraisableexception",
            "-p",
            "no:threadexception",
            "-p",
            "no:doctest",
            "-p",
            "no:junitxml",
            "-p",
            "no:pastebin",
        ]
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            code = pytest.main(args, plugins=[plugin])
        errors = list(plugin.internal_errors)
        if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            errors.append(f"pytest ended with {code!r}:\n{sink.getvalue()[-4000:]}")
        return GradeReport(
            suite=suite,
            tests=plugin.results,
            submission=SubmissionInfo(submission.source, submission.exercise_files, list(submission.notes)),
            seconds=time.monotonic() - started,
            sandbox=[*self.zygote.isolation.layers(), *(["kit closed to others (o-rwx)"] if self.kit_closed else [])],
            grader_version=__version__,
            internal_errors=errors,
            notices=plugin.notices,
        )

    def close(self) -> None:
        self.zygote.close()

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
