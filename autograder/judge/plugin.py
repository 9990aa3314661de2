"""The pytest plugin that turns a test session into a grading session.

Tests use two fixtures: `judge` (the submission, behind its sandboxed workers) and the `graded`
marker for their points. The plugin turns each test's outcome into a TestResult with feedback,
never showing a traceback into the kit or the test's source. Without the CLI (a student running
`pytest tests/public`), the plugin grades the folder given by --submission (default: exercises/) with
the unit whose suite the session runs.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from autograder import units
from autograder.feedback import feedback_text
from autograder.i18n import msg, resolve_language
from autograder.judge.checks.common import UnderTest
from autograder.judge.marks import CUDA_MARKER, MARKER, META_MARKER, Grading, grading_of
from autograder.judge.outcome import failed, grader_error, new_result, skipped, student_feedback
from autograder.judge.student import Student
from autograder.results import TestResult
from autograder.sandbox.client import DeviceUnavailable, WorkerPool
from autograder.sandbox.limits import Limits
from autograder.sandbox.zygote import Zygote
from autograder.scoring import apply_gates, gpu_points_counted, leave_out_skipped
from autograder.submission.loader import LoadedSubmission
from autograder.unit import Unit

if TYPE_CHECKING:
    from pluggy import Result

PLUGIN_NAME = "autograder-grading"


def _marked(item: pytest.Item, marker: str) -> bool:
    return item.get_closest_marker(marker) is not None


def cuda_available() -> bool:
    """Whether the machine has a GPU, asked of NVML and not of the CUDA runtime: a process that has
    initialised CUDA cannot hand it to the children it forks."""
    import torch

    os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")
    return torch.cuda.is_available()


class GradingPlugin:
    """Grades one submission in one pytest session."""

    def __init__(
        self,
        submission: LoadedSubmission,
        pool: WorkerPool,
        exercises: tuple[str, ...] = (),
        lang: str = "en",
    ) -> None:
        self.submission = submission
        self.unit = submission.unit
        self.lang = lang
        self.exercises = exercises
        self.pool = pool
        """The submission's workers, which whoever made the plugin closes: it may have started some
        before the session (autograder.grading)."""
        self.results: list[TestResult] = []
        self.internal_errors: list[str] = []
        self.notices: list[str] = []
        self.collected = 0
        self.order: dict[str, int] = {}
        """Each collected test's place in the suite, by node id: the order of the report."""
        self.cuda = cuda_available()
        # The files whose tests will run, in the order they first run, those whose GPU tests will, and
        # those whose tests on `meta` will: the workers not started before the session (grading.py)
        # start with it, and start up while the judge runs the first tests.
        self.modules: list[str] = []
        self.cuda_modules: list[str] = []
        self.meta_modules: list[str] = []

    def open_judge(self) -> UnderTest:
        self.pool.start(self.modules, use_cuda=False)  # those not started yet
        self.pool.start_on_meta(self.meta_modules)
        if self.cuda:
            self.pool.start(sorted(self.cuda_modules), use_cuda=True)
        return UnderTest(Student(self.pool, self.unit), self.submission.sources, cuda=self.cuda)

    # -- hooks
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        for item in items:
            if grading_of(item) is None:
                self.internal_errors.append(f"{item.nodeid}: test has no @graded marker")
        if self.exercises:
            keep = [i for i in items if (g := grading_of(i)) is not None and g.exercise in self.exercises]
            config.hook.pytest_deselected(items=[i for i in items if i not in keep])
            items[:] = keep
        self.collected = len(items)
        # Tests on `meta` run last, when the zygote has loaded what they import (see the marker);
        # the report keeps the suite's order.
        self.order = {item.nodeid: index for index, item in enumerate(items)}
        items.sort(key=lambda item: _marked(item, META_MARKER))
        self.modules = self._modules_of(items, lambda item: not _marked(item, CUDA_MARKER))
        self.meta_modules = self._modules_of(items, lambda item: _marked(item, META_MARKER))
        self.cuda_modules = self._modules_of(items, lambda item: _marked(item, CUDA_MARKER))

    def _modules_of(self, items: list[pytest.Item], keep: Callable[[pytest.Item], bool]) -> list[str]:
        """The exercise files of the graded `items` that `keep` accepts, in the order they first run."""
        return list(
            dict.fromkeys(
                self.unit.module_of(grading.exercise)
                for item in items
                if keep(item) and (grading := grading_of(item)) is not None
            )
        )

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        if item.get_closest_marker(CUDA_MARKER) is not None and not self.cuda:
            pytest.skip("no CUDA device on this machine")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, Result[pytest.TestReport], None]:
        outcome = yield
        report = outcome.get_result()
        grading = grading_of(item)
        if grading is None:
            return
        if report.when == "call" or (report.when == "setup" and not report.passed):
            result = self._result(item, call, report, grading)
            self.results.append(result)
            if result.feedback is not None and report.failed:
                report.longrepr = feedback_text(result.feedback, self.lang)

    def _result(
        self, item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport, grading: Grading
    ) -> TestResult:
        gpu = item.get_closest_marker(CUDA_MARKER) is not None
        result = new_result(item.nodeid, grading, report.duration, priced=not gpu or gpu_points_counted())
        if report.skipped:
            return skipped(result)
        if report.passed:
            return result
        error = call.excinfo.value if call.excinfo is not None else None
        if isinstance(error, DeviceUnavailable) and item.get_closest_marker(CUDA_MARKER) is not None:
            if str(error) not in self.notices:
                self.notices.append(str(error))
            return skipped(result, msg("score.skipped_gpu_unusable"))
        feedback = student_feedback(error, grading.exercise)
        if feedback is not None:
            return failed(result, feedback)
        detail = "".join(traceback.format_exception(error)) if error else report.longreprtext
        self.internal_errors.append(f"{item.nodeid}: {detail}")
        return grader_error(result)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.results.sort(key=lambda result: self.order.get(result.test_id, len(self.order)))
        leave_out_skipped(self.results)
        apply_gates(self.results, self.unit.rule_mistakes)
        if self.collected == 0:
            self.internal_errors.append("no graded test was collected")


@pytest.fixture(scope="session")
def judge(request: pytest.FixtureRequest) -> UnderTest:
    """The submission under test, behind its sandboxed workers."""
    plugin = active_plugin(request.config)
    if plugin is None:
        raise RuntimeError("the autograder plugin is not active in this session")
    return plugin.open_judge()


def active_plugin(config: pytest.Config) -> GradingPlugin | None:
    """The grading plugin of this session: registered by the CLI, or by pytest_configure below."""
    for plugin in config.pluginmanager.get_plugins():
        if isinstance(plugin, GradingPlugin):
            return plugin
    return None


# ----------------------------------------------------------------------------- standalone pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("autograder")
    group.addoption("--submission", default=None, help="folder (or .zip/.py/.ipynb) to grade; default: exercises/")
    group.addoption("--lang", default=None, help="language of the feedback: en or zh")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}(grading): points and exercise of a graded test")
    config.addinivalue_line("markers", f"{CUDA_MARKER}: runs only where CUDA is available")
    config.addinivalue_line("markers", f"{META_MARKER}: calls the student's code on `meta`; runs last")
    if active_plugin(config) is not None:
        return
    from autograder.submission.loader import UnreadableSubmission, load
    from autograder.torch_imports import warm_up_meta

    target = config.getoption("--submission") or str(Path(config.rootpath) / "exercises")
    lang = resolve_language(config.getoption("--lang"))
    unit = _unit_of_session(config)
    try:
        submission = load(target, unit)
    except UnreadableSubmission as exc:
        raise pytest.UsageError(exc.message.render(lang)) from None
    limits = Limits.from_env()
    zygote = Zygote.start(limits, warm_up=unit.hook("warm_up"), warm_up_when_idle=warm_up_meta)
    config.add_cleanup(zygote.close)
    pool = WorkerPool.for_submission(zygote, submission, limits)
    config.add_cleanup(pool.close)  # before the zygote's: cleanups run last first
    plugin = GradingPlugin(submission, pool, lang=lang)
    config.pluginmanager.register(plugin, PLUGIN_NAME)
    config.stash[_STANDALONE] = time.monotonic()


_STANDALONE = pytest.StashKey[float]()


def _unit_of_session(config: pytest.Config) -> Unit:
    """The unit whose suite this pytest session runs (its tests are inside the unit's package)."""
    for arg in [*config.args, str(config.rootpath)]:
        unit = units.owning(Path(arg.split("::")[0]))
        if unit is not None:
            return unit
    return units.get()


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: pytest.ExitCode, config: pytest.Config
) -> None:
    if _STANDALONE not in config.stash:
        return
    plugin = active_plugin(config)
    if plugin is None:
        return
    from autograder.report.text import summary_table

    terminalreporter.write_sep("=", "autograder")
    terminalreporter.write_line(summary_table(plugin.results, plugin.lang))


__all__ = ["PLUGIN_NAME", "GradingPlugin", "sys"]
