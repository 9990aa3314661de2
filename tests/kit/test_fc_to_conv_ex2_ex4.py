"""fc_to_conv's ex2_fc_as_conv and ex4_corr_as_matmul: the reference solutions score full points, each
slip written as a student would write it (the solution with one thing changed) gets its mistake named,
a wrong answer of no known kind gets a plain failure, and every slip's model differs from the right
answer on the inputs the hidden suite asks.

Most tests grade in this process, through the notebook kernel's `NamespacePool`, as
test_mistakes_in_process.py does; the few that grade through a worker are the slow tier's.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import torch

from autograder.judge.checks.common import UnderTest
from autograder.judge.marks import Grading, grading_of_function
from autograder.judge.student import Student
from autograder.jupyter import graded
from autograder.jupyter.namespace import NamespacePool
from autograder.results import GradeReport, SubmissionInfo
from autograder.scoring import leave_out_skipped
from autograder.units.fc_to_conv import UNIT
from autograder.units.fc_to_conv.checks.ex2_fc_as_conv import (
    reference_invariant,
    reference_local,
    reference_reindex,
    reference_weight,
)
from autograder.units.fc_to_conv.checks.ex4_corr_as_matmul import reference_input_grad, reference_matrix
from autograder.units.fc_to_conv.slips import Slip, of_exercise
from autograder.units.fc_to_conv.slips.ex2_fc_as_conv import PROBES as PROBES_2
from autograder.units.fc_to_conv.slips.ex4_corr_as_matmul import PROBES as PROBES_4

FILES = ("ex2_fc_as_conv.py", "ex4_corr_as_matmul.py")
EXERCISES = {tag for name in FILES for tag in UNIT.tags_of(name.removesuffix(".py"))}
REFERENCES: dict[str, Callable[..., Any]] = {
    "fc_weight_of_kernel": reference_weight,
    "reindex": reference_reindex,
    "is_translation_invariant": reference_invariant,
    "is_local": reference_local,
    "correlation_matrix": reference_matrix,
    "correlation_input_grad": reference_input_grad,
}

LOCAL_FAR = "far = ((k - i).abs() > delta) | ((m - j).abs() > delta)"
M_ENTRY = "M[i * out_w + j, (i + a) * n_w + (j + b)] = K[a, b]"
M_LOOPS = """    for i in range(out_h):
        for j in range(out_w):
            for a in range(k_h):
                for b in range(k_w):
                    """
V_SLICE = "V[i, j, out_h - 1 - i : out_h - 1 - i + n_h, out_w - 1 - j : out_w - 1 - j + n_w] = W[i, j]"
V_SHAPE = "V = torch.zeros((out_h, out_w, out_h + n_h - 1, out_w + n_w - 1), dtype=W.dtype, device=W.device)"
V_COMMENT = "# a = k - i runs from -(out_h - 1) to n_h - 1; it is stored at a + out_h - 1."
V_LOOPS = "    for i in range(out_h):\n        for j in range(out_w):\n            "
V_LOOP = """for k in range(n_h):
                for m in range(n_w):
                    V[i, j, {row}, {column}] = W[i, j, k, m]"""
GRAD_FULL = """import torch.nn.functional as F
    k_h, k_w = K.shape
    padded = F.pad(grad_output.reshape(1, 1, *grad_output.shape), (k_w - 1, k_w - 1, k_h - 1, k_h - 1))
    return F.conv2d(padded, K.reshape(1, 1, k_h, k_w))[0, 0]"""

SLIPS: dict[str, tuple[str, str, str, str, set[str]]] = {
    # name: (file, text in the solution, its replacement, the exercise at fault, the mistakes it may name)
    "weight_flipped": (
        FILES[0],
        "j : j + k_w] = K",
        "j : j + k_w] = K.flip(0, 1)",
        "fc_weight_of_kernel",
        {"dense_kernel_flipped"},
    ),
    "weight_transposed": (
        FILES[0],
        """W = torch.zeros((out_h, out_w, n_h, n_w), dtype=K.dtype, device=K.device)
    for i in range(out_h):
        for j in range(out_w):
            W[i, j, i : i + k_h, j : j + k_w] = K""",
        """W = torch.zeros((n_h, n_w, out_h, out_w), dtype=K.dtype, device=K.device)
    for i in range(out_h):
        for j in range(out_w):
            W[i : i + k_h, j : j + k_w, i, j] = K""",
        "fc_weight_of_kernel",
        {"dense_transposed"},
    ),
    "weight_same_size": (
        FILES[0],
        "W = torch.zeros((out_h, out_w, n_h, n_w),",
        "W = torch.zeros((n_h, n_w, n_h, n_w),",
        "fc_weight_of_kernel",
        {"dense_same_size"},
    ),
    "weight_one_short": (
        FILES[0],
        "out_h, out_w = n_h - k_h + 1, n_w - k_w + 1",
        "out_h, out_w = n_h - k_h, n_w - k_w",
        "fc_weight_of_kernel",
        {"dense_one_short"},
    ),
    "weight_fixed_device": (
        FILES[0],
        "W = torch.zeros((out_h, out_w, n_h, n_w), dtype=K.dtype, device=K.device)",
        "W = torch.zeros((out_h, out_w, n_h, n_w), dtype=K.dtype)",
        "fc_weight_of_kernel",
        {"fixed_device"},
    ),
    "reindex_unshifted": (
        FILES[0],
        V_SLICE,
        V_LOOP.format(row="k - i", column="m - j"),
        "reindex",
        {"reindex_unshifted"},
    ),
    "reindex_reversed": (
        FILES[0],
        V_SLICE,
        V_LOOP.format(row="i - k + n_h - 1", column="j - m + n_w - 1"),
        "reindex",
        {"reindex_offset_reversed"},
    ),
    "reindex_non_negative": (
        FILES[0],
        f"{V_SHAPE}\n{V_LOOPS}{V_COMMENT}\n            {V_SLICE}",
        f"V = torch.zeros_like(W)\n{V_LOOPS}V[i, j, : n_h - i, : n_w - j] = W[i, j, i:, j:]",
        "reindex",
        {"reindex_negative_offsets_dropped"},
    ),
    "invariance_rows_only": (
        FILES[0],
        "offset = (k - i, m - j)",
        "offset = (k - i, j, m)",
        "is_translation_invariant",
        {"invariance_one_axis"},
    ),
    "invariance_padding": (
        FILES[0],
        "    out_h, out_w, n_h, n_w = W.shape\n    first: dict",
        "    V = reindex(W)\n    return bool((V == V[0, 0]).all())\n"
        "    out_h, out_w, n_h, n_w = W.shape\n    first: dict",
        "is_translation_invariant",
        {"invariance_padding_compared"},
    ),
    "invariance_of_w": (
        FILES[0],
        "    out_h, out_w, n_h, n_w = W.shape\n    first: dict",
        "    return bool((W == W[0, 0]).all())\n    out_h, out_w, n_h, n_w = W.shape\n    first: dict",
        "is_translation_invariant",
        {"invariance_of_w"},
    ),
    "locality_strict": (
        FILES[0],
        LOCAL_FAR,
        "far = ((k - i).abs() >= delta) | ((m - j).abs() >= delta)",
        "is_local",
        {"locality_strict_bound"},
    ),
    "locality_without_abs": (
        FILES[0],
        LOCAL_FAR,
        "far = ((k - i) > delta) | ((m - j) > delta)",
        "is_local",
        {"locality_without_abs"},
    ),
    "locality_rows_only": (
        FILES[0],
        LOCAL_FAR,
        "far = ((k - i).abs() > delta).expand(out_h, out_w, n_h, n_w)",
        "is_local",
        {"locality_one_axis"},
    ),
    "matrix_flipped": (
        FILES[1],
        M_ENTRY,
        "M[i * out_w + j, (i + a) * n_w + (j + b)] = K[k_h - 1 - a, k_w - 1 - b]",
        "correlation_matrix",
        {"dense_kernel_flipped", "input_grad_kernel_flipped"},
    ),
    "matrix_column_major": (
        FILES[1],
        M_ENTRY,
        "M[i + j * out_h, (i + a) + (j + b) * n_h] = K[a, b]",
        "correlation_matrix",
        {"matrix_column_major"},
    ),
    "matrix_transposed": (
        FILES[1],
        f"M = torch.zeros((out_h * out_w, n_h * n_w), dtype=K.dtype, device=K.device)\n{M_LOOPS}{M_ENTRY}",
        f"M = torch.zeros((n_h * n_w, out_h * out_w), dtype=K.dtype, device=K.device)\n{M_LOOPS}"
        "M[(i + a) * n_w + (j + b), i * out_w + j] = K[a, b]",
        "correlation_matrix",
        {"dense_transposed"},
    ),
    "matrix_one_short": (
        FILES[1],
        "out_h, out_w = n_h - k_h + 1, n_w - k_w + 1",
        "out_h, out_w = n_h - k_h, n_w - k_w",
        "correlation_matrix",
        {"dense_one_short"},
    ),
    "input_grad_not_flipped": (
        FILES[1],
        "M = correlation_matrix(K, input_shape)\n    return (M.T @ grad_output.reshape(-1)).reshape(input_shape)",
        GRAD_FULL,
        "correlation_input_grad",
        {"input_grad_kernel_flipped"},
    ),
}

WRONG: dict[str, tuple[str, str, str, str]] = {
    # name: (file, text in the solution, its replacement, the exercise at fault): wrong in no known way
    "weight_doubled": (FILES[0], "j : j + k_w] = K", "j : j + k_w] = 2 * K", "fc_weight_of_kernel"),
    "local_always": (
        FILES[0],
        "    out_h, out_w, n_h, n_w = W.shape\n    i = ",
        "    return True\n    out_h, out_w, n_h, n_w = W.shape\n    i = ",
        "is_local",
    ),
    "invariant_never": (
        FILES[0],
        "    return True\n    # END SOLUTION\n\n\ndef is_local",
        "    return False\n    # END SOLUTION\n\n\ndef is_local",
        "is_translation_invariant",
    ),
    "input_grad_negated": (
        FILES[1],
        "return (M.T @ grad_output",
        "return -(M.T @ grad_output",
        "correlation_input_grad",
    ),
}
DEPENDENTS = {"correlation_matrix": {"correlation_input_grad"}}
"""Exercises whose solutions call the one at fault, and fail with it."""

Check = Callable[[UnderTest], None]


def solution_files() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in UNIT.solutions.glob("ex*.py")}


def changed(file: str, old: str, new: str) -> dict[str, bytes]:
    """The solutions with one thing changed in `file`, as a student's submission."""
    files = solution_files()
    text = files[file].decode()
    assert text.count(old) == 1, (file, old)
    files[file] = text.replace(old, new).encode()
    return files


def grading(check: Check) -> Grading:
    found = grading_of_function(check)
    assert found is not None
    return found


def suite_checks(suite: str) -> list[Check]:
    """The two files' tests of `suite`, as a notebook export takes them: the functions with a @graded marker."""
    checks: list[Check] = []
    for name in FILES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)  # the grading plugin registers it
            module = importlib.import_module(f"{UNIT.package}.suites.{suite}.test_{name.removesuffix('.py')}")
        checks += [f for key, f in vars(module).items() if key.startswith("test_") and grading_of_function(f)]
    return checks


CHECKS = suite_checks("hidden")


@contextlib.contextmanager
def imported(folder: Path) -> Iterator[dict[str, Any]]:
    """The two files' exercises, imported as a worker imports them; torch's global state and
    sys.modules are as before afterwards."""
    sys.path.insert(0, str(folder))
    grad_enabled, dtype = torch.is_grad_enabled(), torch.get_default_dtype()
    try:
        with torch.random.fork_rng(devices=[]):
            modules = {name: importlib.import_module(name.removesuffix(".py")) for name in FILES}
            yield {tag: getattr(modules[f"{UNIT.module_of(tag)}.py"], tag) for tag in EXERCISES}
    finally:
        sys.path.remove(str(folder))
        for name, module in list(sys.modules.items()):
            if Path(getattr(module, "__file__", None) or "/").is_relative_to(folder):
                del sys.modules[name]
        torch.set_grad_enabled(grad_enabled)
        torch.set_default_dtype(dtype)


def run_checks(namespace: dict[str, Any], sources: dict[str, str], checks: list[Check] = CHECKS) -> GradeReport:
    under_test = UnderTest(Student(NamespacePool(namespace), UNIT), sources)
    results = [graded._run_one(under_test, check) for check in checks]
    leave_out_skipped(results)
    return GradeReport(suite="hidden", tests=results, submission=SubmissionInfo("in process"))


def grade_in_process(files: dict[str, bytes], folder: Path) -> GradeReport:
    """The hidden checks of the two files on `files`, graded as a notebook kernel grades."""
    for name in FILES:
        (folder / name).write_bytes(files[name])
    with imported(folder) as namespace:
        return run_checks(namespace, {name: files[name].decode() for name in FILES})


def full_marks(report: GradeReport, exercise: str) -> bool:
    score, maximum = report.exercise_score(exercise)
    return score == maximum > 0


def test_the_solutions_score_full_points_in_process(tmp_path):
    report = grade_in_process(solution_files(), tmp_path)
    assert report.score == report.max_score == 35, [(t.name.key, t.feedback) for t in report.tests if t.feedback]
    assert report.mistakes() == []


def test_the_solutions_pass_the_public_suite_in_process():
    with imported(UNIT.solutions) as namespace:
        report = run_checks(namespace, {}, suite_checks("public"))
    assert report.score == report.max_score > 0
    assert {t.exercise for t in report.tests} == EXERCISES


@pytest.mark.parametrize("name", sorted(SLIPS))
def test_each_slip_is_named(name, tmp_path):
    file, old, new, exercise, allowed = SLIPS[name]
    report = grade_in_process(changed(file, old, new), tmp_path)
    failing = [t for t in report.tests if t.exercise == exercise and t.status == "failed"]
    assert failing, f"{name}: no test of {exercise} failed"
    named = {t.feedback.mistake for t in failing if t.feedback}
    assert named & allowed, f"{name}: named {sorted(n for n in named if n)}, expected one of {sorted(allowed)}"
    wrong = sorted(set(report.mistakes()) - allowed)
    assert not wrong, f"{name}: also named {wrong}"
    for other in EXERCISES - {exercise} - DEPENDENTS.get(exercise, set()):
        assert full_marks(report, other), f"{name}: {other} lost points"


@pytest.mark.parametrize("name", sorted(WRONG))
def test_a_wrong_answer_of_no_known_kind_fails_with_no_name(name, tmp_path):
    file, old, new, exercise = WRONG[name]
    report = grade_in_process(changed(file, old, new), tmp_path)
    assert any(t.exercise == exercise and t.status == "failed" for t in report.tests), name
    assert report.mistakes() == [], f"{name}: named {report.mistakes()}"


def asked_by_the_suite() -> dict[str, list[tuple[Any, ...]]]:
    """Every argument tuple the hidden suite passes to each exercise, answered by the solutions."""
    asked: dict[str, list[tuple[Any, ...]]] = {tag: [] for tag in EXERCISES}

    def recording(tag: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            asked[tag].append(tuple(a.detach().clone() if isinstance(a, torch.Tensor) else a for a in args))
            return function(*args)

        return call

    with imported(UNIT.solutions) as namespace:
        report = run_checks({tag: recording(tag, f) for tag, f in namespace.items()}, {})
    assert report.score == report.max_score
    return asked


def differs(slip: Slip, tag: str, args: tuple[Any, ...]) -> bool:
    if not slip.applies(*args):
        return False
    answer, right = slip.model(*args), REFERENCES[tag](*args)
    if isinstance(right, torch.Tensor):
        right = right.detach()
        return answer.shape != right.shape or not torch.allclose(answer.double(), right.double())
    return bool(answer != right)


def test_every_slip_differs_from_the_right_answer_on_the_suites_inputs():
    asked = asked_by_the_suite()
    for tag in EXERCISES:
        assert asked[tag], tag
        for slip in of_exercise(tag):
            assert any(differs(slip, tag, args) for args in asked[tag]), (tag, slip.mistake, slip.model.__name__)


def test_every_slip_differs_from_the_right_answer_on_its_probes():
    probes = {**PROBES_2, **PROBES_4}
    assert set(probes) == EXERCISES
    for tag, tuples in probes.items():
        for slip in of_exercise(tag):
            assert any(differs(slip, tag, args) for args in tuples), (tag, slip.mistake, slip.model.__name__)


def test_the_solutions_score_full_points_through_a_worker(grade):
    report = grade(solution_files())
    for exercise in EXERCISES:
        assert full_marks(report, exercise), exercise
    assert not [m for m in report.mistakes() if m in UNIT.mistakes]


@pytest.mark.parametrize("name", ["weight_flipped", "locality_strict", "matrix_column_major"])
def test_a_slip_is_named_through_a_worker(grade, name):
    file, old, new, exercise, allowed = SLIPS[name]
    report = grade(changed(file, old, new))
    named = {t.feedback.mistake for t in report.tests if t.exercise == exercise and t.feedback}
    assert named & allowed, (name, named)
