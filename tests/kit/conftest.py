"""Fixtures of the kit's own tests: a warm Grader shared by the session, and helpers to grade."""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

# This process forks the grader's zygote: it must not have run a multi-threaded op before.
torch.set_num_threads(1)

from autograder.grading import Grader  # noqa: E402
from autograder.paths import KIT_ROOT  # noqa: E402
from autograder.results import GradeReport  # noqa: E402
from autograder.sandbox.client import WorkerPool  # noqa: E402
from autograder.sandbox.limits import Limits  # noqa: E402
from autograder.sandbox.zygote import Zygote  # noqa: E402
from autograder.submission.loader import from_bytes, load  # noqa: E402
from autograder.units.convolutions import UNIT  # noqa: E402

SOLUTIONS = UNIT.solutions


@pytest.fixture(scope="session")
def grader() -> Iterator[Grader]:
    with Grader(Limits(call_seconds=3.0, import_seconds=5.0)) as warm:
        yield warm


@pytest.fixture(scope="session")
def narrowed_grader() -> Iterator[Grader]:
    """A warm grader whose workers' recorder sees only the operators the rule reads, as every worker of
    `grade-batch` and of `check --watch` after its first check does (autograder.grading.narrow_the_recorder):
    it stays up, and its zygote narrows the recorder once its first workers are gone."""
    with Grader(Limits(call_seconds=3.0, import_seconds=5.0), stays_up=True) as warm:
        deadline = time.monotonic() + 60
        while "aten::mul" in dispatched_in_a_worker(warm.zygote) and time.monotonic() < deadline:
            time.sleep(0.1)
        yield warm


def dispatched_in_a_worker(zygote: Zygote) -> dict[str, int]:
    """The operators that a fresh worker of `zygote` reports for a call that unfolds and multiplies."""
    from autograder.judge.student import Student

    pool = WorkerPool(zygote, {"ex1_corr2d.py": UNFOLDING_PRODUCT}, Limits(call_seconds=5.0))
    try:
        call = Student(pool, dataclasses.replace(UNIT, call_policy=None)).call(
            "corr2d", torch.ones(2, 2), torch.ones(1)
        )
    finally:
        pool.close()
    return call.trace.dispatched


UNFOLDING_PRODUCT = b"""
def corr2d(X, K):
    X.unfold(0, 1, 1)  # an operator the rule reads
    return X * K  # and one it does not
"""


@pytest.fixture(scope="session", autouse=True)
def _grader_before_any_test(request: pytest.FixtureRequest) -> None:
    """Where this session's tests use the shared grader, it starts before the first of them: its
    zygote, and so every worker, inherits this process as a grade finds it, not with what an earlier
    in-process test imported (an optimizer's step, run in-process, imports torch's compiler). Which
    files run first depends on how `make test` shares them out among its processes."""
    if any("grader" in item.fixturenames for item in request.session.items):
        request.getfixturevalue("grader")


def solution_files() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in SOLUTIONS.glob("ex*.py")}


def submission_with(replacements: dict[str, str | None]) -> dict[str, bytes]:
    """The reference solutions with some files replaced (text) or removed (None)."""
    files = solution_files()
    for name, text in replacements.items():
        if text is None:
            files.pop(name, None)
        else:
            files[name] = text.encode()
    return files


@pytest.fixture
def grade(grader: Grader):
    """grade(files or path, suite="hidden") -> GradeReport, in the shared warm grader."""

    def run(submission: dict[str, bytes] | str | Path, suite: str = "hidden") -> GradeReport:
        loaded = from_bytes("test submission", submission) if isinstance(submission, dict) else load(submission)
        report = grader.grade(loaded, suite)
        assert not report.internal_errors, report.internal_errors
        return report

    return run


CONFIG_HOME = tempfile.mkdtemp(prefix="autograder-kit-config-")
"""The kit's tests' own ~/.config: a `grade` creates its secret there, not in the user's home."""


def feedback_of_a_class_of_one(tmp_path: Path, exercise_file: str, source: str) -> str:
    """feedback.md of a class of one student, the solutions with `exercise_file` replaced by `source`,
    graded by grade-batch: what a probe submission reports of the processes a batch forks for it."""
    student = tmp_path / "class" / "ada"
    student.mkdir(parents=True)
    for name, content in submission_with({exercise_file: source}).items():
        (student / name).write_bytes(content)
    out = tmp_path / "out"
    ran = run_cli("grade-batch", str(tmp_path / "class"), "--out", str(out), "--jobs", "1")
    assert ran.returncode == 0, ran.stderr
    return (out / "ada" / "feedback.md").read_text()


def run_cli(*args: str, cwd: Path = KIT_ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m autograder ARGS` as a user would."""
    environment = {
        **os.environ,
        "AUTOGRADER_LANG": "en",
        "NO_COLOR": "1",
        "XDG_CONFIG_HOME": CONFIG_HOME,
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "autograder", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def read_results(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def scores(report: GradeReport) -> dict[str, float]:
    return {exercise: report.exercise_score(exercise)[0] for exercise in report.exercises()}


def cpu_maximum(report: GradeReport) -> float:
    return sum(t.max_score for t in report.tests if t.counted)


SPAWNS = ("run_cli(", "subprocess.", "Popen(", "Grader(")
"""What a test calls to start a grader (or another process): such a test is left to `make test`."""
WARM_FIXTURES = {"grader", "grade", "built", "autograder_root"}
"""Fixtures that start a grader or build a bundle."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`make test-fast` runs what needs no grader process: a test that starts one, directly, through
    a fixture, or through a helper of its module, counts as slow."""
    spawning_helpers: dict[str, set[str]] = {}
    for item in items:
        function = getattr(item, "function", None)
        if function is None or item.get_closest_marker("slow") is not None:
            continue
        module = inspect.getmodule(function)
        if module is not None and module.__name__ not in spawning_helpers:
            spawning_helpers[module.__name__] = {
                name
                for name, value in vars(module).items()
                if inspect.isfunction(value)
                and value.__module__ == module.__name__
                and not name.startswith("test_")
                and any(call in inspect.getsource(value) for call in SPAWNS)
            }
        source = inspect.getsource(function)
        helpers = spawning_helpers.get(module.__name__, set()) if module is not None else set()
        if (
            WARM_FIXTURES & set(getattr(item, "fixturenames", ()))
            or any(call in source for call in SPAWNS)
            or any(f"{helper}(" in source for helper in helpers)
        ):
            item.add_marker(pytest.mark.slow)
