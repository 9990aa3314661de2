"""Grade submissions: one warm process, one zygote, one pytest session per submission.

The Grader forks its zygote before anything else happens in the process, so workers never inherit
hidden tests, reference values, threads or CUDA state. Then each `grade()` runs the chosen suite
in-process, with the submission behind sandboxed workers. This module imports neither pytest nor
the judge until the first grade, so that the zygote's warm-up overlaps those imports.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from autograder import __version__, units
from autograder.paths import CHECKOUT, KIT_ROOT
from autograder.results import GradeReport, SubmissionInfo
from autograder.sandbox.client import WorkerPool
from autograder.sandbox.fork_server import preload
from autograder.sandbox.isolation import close_to_others
from autograder.sandbox.limits import Limits
from autograder.sandbox.observer import watch_only
from autograder.sandbox.zygote import Zygote, python_installation
from autograder.seeding import inputs_seed, load_secret, submission_digest
from autograder.submission.loader import LoadedSubmission
from autograder.torch_imports import load_compiler, skip_lazy_dynamo, warm_up_meta
from autograder.unit import Suite

PLUGIN_AUTOLOAD_ENV = "PYTEST_DISABLE_PLUGIN_AUTOLOAD"
UNUSED_PYTEST_PLUGINS = (
    # unraisableexception and threadexception run gc.collect() after every session: a tenth of a
    # second each with torch loaded.
    "unraisableexception",
    "threadexception",
    # What no hidden or public suite uses: each plugin costs its registration, its options and its
    # fixtures' discovery on every session, and capture its switch around every phase of every test
    # (the grader redirects the session's output itself).
    "cacheprovider",
    "capture",
    "debugging",
    "doctest",
    "faulthandler",
    "junitxml",
    "legacypath",
    "logging",
    "monkeypatch",
    "pastebin",
    "recwarn",
    "setuponly",
    "setupplan",
    "skipping",
    "stepwise",
    "subtests",
    "tmpdir",
    "unittest",
    "warnings",
)
"""pytest's plugins that a grading session blocks (`-p no:NAME`; a name this pytest lacks is ignored)."""


def private_paths(*extra: str | os.PathLike[str]) -> list[str]:
    """What a worker must never see: the whole kit where it runs from a checkout (its solutions,
    bundles, git history; a Python installation inside it stays usable), every unit's hidden suite,
    solutions and samples where it is installed, plus the given paths."""
    paths = [*([KIT_ROOT] if CHECKOUT else []), *(Path(p) for p in extra if p)]
    paths += [path for unit in units.installed().values() for path in unit.private_paths()]
    return sorted({str(p.resolve()) for p in paths if p.exists()})


def warm_up_units() -> None:
    """Every installed unit's warm-up, in the zygote: one zygote serves the workers of any unit."""
    skip_lazy_dynamo()  # before any op that runs torch's Python kernels
    _run_hooks("warm_up")


def warm_up_between_checks() -> None:
    """What the zygote of a checker that stays up loads once its first check's workers are gone:
    torch's compiler, then the recorder narrowed (both would make a single grade wait for them)."""
    load_compiler()
    narrow_the_recorder()


def narrow_the_recorder() -> None:
    """Let the operators that no installed unit's rule reads pass the rule's recorder by, so that the
    loops of the workers forked from this process on pay nothing for them (about 0.1 s, once; see
    autograder.sandbox.observer.watch_only)."""
    watched = units.watched_operators()
    if watched is not None:
        watch_only(watched)


def warm_up_judge_units() -> None:
    """Every installed unit's judge warm-up: one judge grades submissions of any unit."""
    _run_hooks("judge_warm_up")


def _run_hooks(name: Literal["warm_up", "judge_warm_up"]) -> None:
    for unit in units.installed().values():
        hook = unit.hook(name)
        if hook is not None:
            hook()


@contextlib.contextmanager
def _no_plugins_from_the_environment() -> Iterator[None]:
    """A grading session loads the kit's plugin only: a pytest plugin installed beside the kit (say,
    hypothesis's) would cost its import on every grade, and has no business in the judge."""
    previous = os.environ.get(PLUGIN_AUTOLOAD_ENV)
    os.environ[PLUGIN_AUTOLOAD_ENV] = "1"
    try:
        yield
    finally:
        if previous is None:
            del os.environ[PLUGIN_AUTOLOAD_ENV]
        else:
            os.environ[PLUGIN_AUTOLOAD_ENV] = previous


class Grader:
    """A warm grading process. Create it before computing anything; reuse it for many submissions.

    With a `secret_file`, each submission's hidden inputs are drawn from a seed of its own (see
    autograder.seeding); without one, every submission sees the same inputs (the kit's own tests).
    Raises SecretUnavailable when that file cannot be read. A Grader that `stays_up` between grades
    (`check --watch`, a notebook's checker) has its zygote load torch's compiler once it is idle
    (autograder.torch_imports.load_compiler), so that no later check waits for that import, and narrow
    the rule's recorder (`narrow_the_recorder`), so that later checks' loops run at nearly their speed.
    """

    def __init__(
        self,
        limits: Limits | None = None,
        namespaces: bool = True,
        secret_file: Path | None = None,
        stays_up: bool = False,
    ) -> None:
        self.limits = limits or Limits.from_env()
        # torch is imported here, once, for this process and the zygote that inherits it; pinned to
        # one thread, as the zygote must be: the judge's references are small, and torch's idle
        # threads would only spin on the core the student's worker needs.
        preload()
        self.zygote = Zygote.start(
            self.limits,
            use_namespaces=namespaces,
            warm_up=warm_up_units,
            warm_up_when_idle=warm_up_meta,
            warm_up_later=warm_up_between_checks if stays_up else None,
        )
        warm_up_judge_units()  # meanwhile
        # Only now, with the zygote forked, may the secret enter this process.
        self.secret_file = secret_file
        self.secret = load_secret(secret_file) if secret_file is not None else None
        isolation = self.zygote.isolation
        self.kit_closed = isolation.as_root and not isolation.namespaces and not isolation.landlock and CHECKOUT
        if self.kit_closed:
            # Only the worker's own user keeps it from the kit here: make sure "others" cannot read it.
            close_to_others([str(KIT_ROOT)], [*python_installation(), tempfile.gettempdir()])

    def grade(
        self,
        submission: LoadedSubmission,
        suite: Suite = "hidden",
        hide: tuple[str | os.PathLike[str], ...] = (),
        exercises: tuple[str, ...] = (),
        seed: int | None = None,
    ) -> GradeReport:
        """Run the `suite` of the submission's unit on it; `exercises` limits it to those exercise tags.
        The hidden inputs are drawn from `seed` when given (a regrade), else from the secret and the files."""
        started = time.monotonic()
        digest = submission_digest(submission.files)
        if seed is None and self.secret is not None and suite == "hidden":
            seed = inputs_seed(self.secret, digest)
        source = Path(submission.source)
        # The folder around the submission too: in a class folder, the other students' work.
        around = [source.resolve().parent] if source.exists() and source.resolve().parent != Path("/") else []
        secret = [self.secret_file] if self.secret_file is not None else []
        masked = private_paths(submission.source, *around, *hide, *secret)
        pool = WorkerPool.for_submission(self.zygote, submission, self.limits, masked)
        unit = submission.unit
        try:
            # Asked for before pytest is imported: the zygote forks them meanwhile, then loads what the
            # tests on `meta` need while the first tests run (autograder.sandbox.fork_server).
            pool.start(list(dict.fromkeys(unit.module_of(tag) for tag in exercises or unit.tags)), use_cuda=False)
            return self._run_suite(submission, pool, suite, exercises, seed, digest, started)
        finally:
            pool.close()

    def _run_suite(
        self,
        submission: LoadedSubmission,
        pool: WorkerPool,
        suite: Suite,
        exercises: tuple[str, ...],
        seed: int | None,
        digest: str,
        started: float,
    ) -> GradeReport:
        # pytest and the judge are imported here, not with this module: a Grader forks its zygote
        # first, and the zygote's warm-up runs on the other core while this process imports them.
        import pytest

        from autograder.judge import draws
        from autograder.judge.plugin import GradingPlugin

        plugin = GradingPlugin(submission, pool, exercises)
        args = [
            str(submission.unit.suite(suite)),
            "-c",
            os.devnull,
            "--rootdir",
            str(KIT_ROOT),
            "-q",
            # The judge words each failure itself (judge/plugin.py): pytest's own traceback of it, with
            # every frame's source parsed, took most of the time of grading a submission that fails.
            "--tb=native",
            *(argument for name in UNUSED_PYTEST_PLUGINS for argument in ("-p", f"no:{name}")),
        ]
        sink = io.StringIO()
        with (
            contextlib.redirect_stdout(sink),
            contextlib.redirect_stderr(sink),
            draws.seeded(seed),
            _no_plugins_from_the_environment(),
        ):
            code = pytest.main(args, plugins=[plugin])
        if code == pytest.ExitCode.INTERRUPTED:
            raise KeyboardInterrupt  # pytest caught the user's Ctrl-C: the run stops, as it asked
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
            inputs_seed=seed,
            digest=digest,
            exercise_order=list(submission.unit.tags),
        )

    def close(self) -> None:
        self.zygote.close()

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
