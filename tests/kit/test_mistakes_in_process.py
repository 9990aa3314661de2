"""The mistake corpus graded in this process, the way a notebook kernel grades: the unit's hidden
checks through `NamespacePool`, with no worker process. Each submission must get the named mistakes
that `test_mistakes.py` asserts of the sandboxed grade, and the correct corpus full marks with no
diagnosis, in seconds instead of minutes.

The corpus files are the kit's own and are imported here for that reason only; student code never
runs in the grader's process.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
import torch

from autograder.judge.checks.common import UnderTest
from autograder.judge.marks import Grading, grading_of_function
from autograder.judge.student import Student
from autograder.jupyter import graded
from autograder.jupyter.namespace import NamespacePool
from autograder.results import GradeReport, SubmissionInfo
from autograder.scoring import apply_gates, leave_out_skipped
from autograder.units.convolutions import UNIT
from tests.kit.test_mistakes import CORPUS, CORRECT, MANIFEST, submission

NOT_IN_PROCESS = {
    # Its import raises (no d2l installed): a worker reports the failed import and the judge names
    # it; a namespace only has the objects an import defined, so there is nothing to call.
    "d2l_import",
    # Named from the call's deadline, which only a worker process has: in process the loop runs on.
    "too_slow",
}
"""Mistakes whose evidence only a worker process gives; test_mistakes.py grades them sandboxed."""
LEFT_TO_THE_SANDBOX = {
    # The value checks of the other corr2d tests on a 32 x 32 input: 900 windows through the
    # recorders, a quarter of this file's time, and the test where a slow loop shows (too_slow).
    "test.corr2d.moderate_size",
}
"""Checks the fast tier leaves to test_mistakes.py, for their cost alone."""

Check = Callable[[UnderTest], None]


def hidden_checks() -> list[Check]:
    """The unit's hidden tests, as a notebook export takes them: the functions with a @graded marker."""
    checks: list[Check] = []
    for path in sorted(UNIT.suite("hidden").glob("test_*.py")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)  # the grading plugin registers it
            module = importlib.import_module(f"{UNIT.package}.suites.hidden.{path.stem}")
        checks += [f for name, f in vars(module).items() if name.startswith("test_") and grading_of_function(f)]
    return checks


def grading(check: Check) -> Grading:
    found = grading_of_function(check)
    assert found is not None
    return found


CHECKS = [check for check in hidden_checks() if grading(check).name not in LEFT_TO_THE_SANDBOX]


def reached(changed: set[str]) -> set[str]:
    """The exercises whose files are `changed` or import one of them; the others run the solutions."""
    modules = {name.removesuffix(".py") for name in changed}
    modules |= {m for m in UNIT.modules if modules & set(UNIT.depends_on.get(m, ()))}
    return {tag for m in modules for tag in UNIT.tags_of(m)}


@contextlib.contextmanager
def imported(folder: Path) -> Iterator[dict[str, object]]:
    """The exercises of the files in `folder`, imported as a worker imports them (the folder first on
    sys.path); torch's global state and sys.modules are as before afterwards."""
    sys.path.insert(0, str(folder))
    grad_enabled, dtype = torch.is_grad_enabled(), torch.get_default_dtype()
    try:
        with torch.random.fork_rng(devices=[]):
            modules: dict[str, ModuleType] = {m: importlib.import_module(m) for m in UNIT.modules}
            yield {tag: getattr(modules[UNIT.module_of(tag)], tag) for tag in UNIT.tags}
    finally:
        sys.path.remove(str(folder))
        for name, module in list(sys.modules.items()):
            if Path(getattr(module, "__file__", None) or "/").is_relative_to(folder):
                del sys.modules[name]
        torch.set_grad_enabled(grad_enabled)
        torch.set_default_dtype(dtype)


def grade_in_process(files: dict[str, bytes], exercises: set[str], folder: Path) -> GradeReport:
    """The hidden checks of `exercises` on `files`, as `autograder.jupyter.graded.run` grades a
    notebook, but with each file's own text as its source, as the sandboxed grader reads it."""
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with imported(folder) as namespace:
        sources = {name: data.decode() for name, data in files.items()}
        under_test = UnderTest(Student(NamespacePool(namespace), UNIT), sources)
        results = [graded._run_one(under_test, check) for check in CHECKS if grading(check).exercise in exercises]
    leave_out_skipped(results)
    apply_gates(results, UNIT.rule_mistakes)
    return GradeReport(suite="hidden", tests=results, submission=SubmissionInfo("in process"))


def changed_files(folder: Path) -> set[str]:
    return {path.name for path in folder.glob("*.py")}


@pytest.mark.parametrize("name", sorted(set(MANIFEST) - NOT_IN_PROCESS))
def test_the_mistake_is_named_in_process(name, tmp_path):
    case = MANIFEST[name]
    folder = CORPUS / "mistakes" / name
    # The exercise at fault and those that must lose nothing: its own checks are where a wrong name
    # would show. (The sandboxed test grades the whole suite.)
    report = grade_in_process(submission(folder), {case["exercise"], *case.get("full_marks", ())}, tmp_path)
    failing = [t for t in report.tests if t.exercise == case["exercise"] and t.status == "failed"]
    assert failing, f"{name}: no test of {case['exercise']} failed"
    named = {t.feedback.mistake for t in failing if t.feedback}
    assert named & set(case["expect"]), f"{name}: named {sorted(n for n in named if n)}, expected {case['expect']}"
    allowed = set(case["expect"]) | set(case.get("also", ()))
    wrong = sorted({m for m in report.mistakes() if m not in allowed})
    assert not wrong, f"{name}: also named {wrong}, which the submission does not show"
    for exercise in case.get("full_marks", ()):
        score, maximum = report.exercise_score(exercise)
        assert score == maximum > 0, f"{name}: {exercise} lost points"
    if "failing" in case:
        expected = [key for key in case["failing"] if key not in LEFT_TO_THE_SANDBOX]
        assert sorted(t.name.key for t in failing) == sorted(expected), name


@pytest.mark.parametrize("name", CORRECT)
def test_correct_code_gets_full_marks_and_no_diagnosis_in_process(name, tmp_path):
    folder = CORPUS / "correct" / name
    report = grade_in_process(submission(folder), reached(changed_files(folder)), tmp_path)
    assert report.tests, name
    assert report.score == report.max_score, [(t.name.key, t.feedback) for t in report.tests if t.status == "failed"]
    assert report.mistakes() == []


def test_what_is_left_to_the_sandbox_exists():
    """The cases and checks left to the sandboxed run are ones the corpus and the suite have."""
    assert NOT_IN_PROCESS - set(MANIFEST) == set()
    assert LEFT_TO_THE_SANDBOX - {grading(check).name for check in hidden_checks()} == set()


def test_grading_in_process_leaves_no_trace_in_this_process(tmp_path):
    """What a corpus file does at import (seeding, switching autograd off) ends with its grading."""
    path, rng, modules = list(sys.path), torch.random.get_rng_state(), set(sys.modules)
    side_effects = (
        b"import torch\ntorch.manual_seed(1)\ntorch.set_grad_enabled(False)\n\ndef corr2d(X, K):\n    return X\n"
    )
    grade_in_process({**submission(tmp_path / "none"), "ex1_corr2d.py": side_effects}, set(), tmp_path)
    assert sys.path == path
    assert torch.equal(torch.random.get_rng_state(), rng)
    assert torch.is_grad_enabled()
    assert set(sys.modules) - modules == set()
