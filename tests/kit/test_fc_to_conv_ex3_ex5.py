"""ex3_strict_conv and ex5_hand_kernels of the fc_to_conv unit: the solutions and other right answers
score full points, and each slip, written as a student's file, gets its mistake named.

Most submissions are graded in this process, the way a notebook kernel grades (the hidden checks
through `NamespacePool`, no worker); the solutions also go through the sandboxed CLI. The files here
are the kit's own, imported for that reason only.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
import torch

from autograder.judge.checks.common import UnderTest
from autograder.judge.marks import grading_of_function
from autograder.judge.student import Student
from autograder.jupyter import graded
from autograder.jupyter.namespace import NamespacePool
from autograder.results import GradeReport, SubmissionInfo
from autograder.scoring import apply_gates, leave_out_skipped
from autograder.units.fc_to_conv import UNIT
from autograder.units.fc_to_conv.slips import ex3_strict_conv as slips3
from autograder.units.fc_to_conv.slips import ex5_hand_kernels as slips5

MODULES = ("ex3_strict_conv", "ex5_hand_kernels")
SOLUTIONS = {m: (UNIT.solutions / f"{m}.py").read_text() for m in MODULES}
Check = Callable[[UnderTest], None]


def hidden_checks(module: str) -> list[Check]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
        suite = importlib.import_module(f"{UNIT.package}.suites.hidden.test_{module}")
    return [f for name, f in vars(suite).items() if name.startswith("test_") and grading_of_function(f)]


def grade_in_process(module: str, source: str, folder: Path) -> GradeReport:
    """The hidden checks of one exercise file on `source`, as a notebook grades them."""
    (folder / f"{module}.py").write_text(source)
    sys.path.insert(0, str(folder))
    try:
        with torch.random.fork_rng(devices=[]):
            loaded = importlib.import_module(module)
            namespace = {tag: getattr(loaded, tag) for tag in UNIT.tags_of(module)}
            judge = UnderTest(Student(NamespacePool(namespace), UNIT), {f"{module}.py": source})
            results = [graded._run_one(judge, check) for check in hidden_checks(module)]
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop(module, None)
    leave_out_skipped(results)
    apply_gates(results, UNIT.rule_mistakes)
    return GradeReport(suite="hidden", tests=results, submission=SubmissionInfo("in process"))


def replaced(module: str, function: str, body: str) -> str:
    """The solution with `function`'s body between the markers replaced by `body`."""
    source = SOLUTIONS[module]
    start = source.index(f"def {function}(")
    begin = source.index("# BEGIN SOLUTION", start)
    end = source.index("# END SOLUTION", begin)
    indented = textwrap.indent(textwrap.dedent(body).strip() + "\n", "    ")
    return source[:begin] + "# BEGIN SOLUTION\n" + indented + "    " + source[end:]


def full_marks(report: GradeReport, exercise: str) -> bool:
    score, maximum = report.exercise_score(exercise)
    return score == maximum > 0


@pytest.mark.parametrize("module", MODULES)
def test_the_solutions_score_full_points_in_process(module, tmp_path):
    report = grade_in_process(module, SOLUTIONS[module], tmp_path)
    assert report.score == report.max_score == (15 if module == "ex3_strict_conv" else 20)
    assert report.mistakes() == []


OTHER_RIGHT = {
    "conv2d_strict": "return torch.nn.functional.conv2d(X[None, None], K.flip(0, 1)[None, None])[0, 0]",
    "edge_kernel": """
        sobel_row = torch.tensor([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])
        return 3.0 * (v[0] * sobel_row + v[1] * sobel_row.T)
    """,
    "second_derivative_kernel": "return torch.tensor([[-1.0, 16.0, -30.0, 16.0, -1.0]]) / 12",
    "same_as_correlation": "return bool((K == K.flip(0).flip(1)).all())",
    "laplace_kernel": "return torch.tensor([[1.0, 4.0, 1.0], [4.0, -20.0, 4.0], [1.0, 4.0, 1.0]]) / 6",
    "blur_kernel": """
        x = torch.arange(size, dtype=torch.float32) - (size - 1) / 2
        g = torch.exp(-x**2 / 2)
        K = g[:, None] * g[None, :]
        return K / K.sum()
    """,
    "derivative_kernel": """
        k = torch.tensor([[1.0]], dtype=torch.float64)
        for _ in range(d):
            zero = torch.zeros(1, 1, dtype=k.dtype)
            k = torch.cat([zero, k], 1) - torch.cat([k, zero], 1)
        return k
    """,
}
"""Other right answers: a torch operator, Sobel edges, a longer stencil, the 9-point Laplacian, a
Gaussian blur, and the d-th difference built by repeated differencing in float64."""


@pytest.mark.parametrize("function", sorted(OTHER_RIGHT))
def test_other_right_answers_score_full_points(function, tmp_path):
    module = UNIT.module_of(function)
    report = grade_in_process(module, replaced(module, function, OTHER_RIGHT[function]), tmp_path)
    assert full_marks(report, function), [(t.name.key, t.feedback) for t in report.tests if t.status == "failed"]
    assert report.mistakes() == []


SLIPPED = {
    "strict_conv_not_flipped": ("conv2d_strict", "return corr2d(X, K)"),
    "strict_conv_one_axis": ("conv2d_strict", "return corr2d(X, torch.flip(K, dims=(1,)))"),
    "strict_conv_transposed": ("conv2d_strict", "return corr2d(X, K.T)"),
    "strict_conv_input_flipped": ("conv2d_strict", "return corr2d(torch.flip(X, dims=(0, 1)), K)"),
    "symmetry_as_transpose": ("same_as_correlation", "return K.shape[0] == K.shape[1] and bool(torch.equal(K, K.T))"),
    "symmetry_one_axis": ("same_as_correlation", "return bool(torch.equal(K, torch.flip(K, dims=(0,))))"),
    "symmetry_assumed": ("same_as_correlation", "return True"),
    "edge_along_v": (
        "edge_kernel",
        """
        d_row = torch.tensor([[0.0, -1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
        return v[1] * d_row - v[0] * d_row.T
        """,
    ),
    "edge_axes_swapped": (
        "edge_kernel",
        """
        d_row = torch.tensor([[0.0, -1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
        return v[1] * d_row + v[0] * d_row.T
        """,
    ),
    "derivative_negated": (
        "derivative_kernel",
        "return torch.tensor([[(-1.0) ** a * math.comb(d, a) for a in range(d + 1)]])",
    ),
    "derivative_order_off_by_one": (
        "derivative_kernel",
        "return torch.tensor([[(-1.0) ** (d - 1 - a) * math.comb(d - 1, a) for a in range(d)]])",
    ),
    "laplace_negated": (
        "laplace_kernel",
        "return torch.tensor([[0.0, -1.0, 0.0], [-1.0, 4.0, -1.0], [0.0, -1.0, 0.0]])",
    ),
    "laplace_one_axis": ("laplace_kernel", "return torch.tensor([[0.0, 0.0, 0.0], [1.0, -2.0, 1.0], [0.0, 0.0, 0.0]])"),
    "blur_not_normalised": ("blur_kernel", "return torch.ones(size, size)"),
}
"""Each slip as a student would write it."""


@pytest.mark.parametrize("mistake", sorted(SLIPPED))
def test_each_slip_is_named(mistake, tmp_path):
    function, body = SLIPPED[mistake]
    module = UNIT.module_of(function)
    report = grade_in_process(module, replaced(module, function, body), tmp_path)
    failing = [t for t in report.tests if t.status == "failed"]
    assert failing
    assert all(t.exercise == function for t in failing)
    assert set(report.mistakes()) == {mistake}
    for other in UNIT.tags_of(module):
        if other != function:
            assert full_marks(report, other), other


UNNAMED = {
    "edge_kernel": "return torch.zeros(3, 3)",
    "laplace_kernel": "return torch.tensor([[1.0, 1.0, 1.0], [1.0, -8.0, 1.0], [1.0, 1.0, 1.0]])",
    "derivative_kernel": "return torch.tensor([[1.0, -2.0, 1.0]])",
    "blur_kernel": "K = torch.zeros(size, size)\nK[0, 0] = 1.0\nreturn K",
    "second_derivative_kernel": "return torch.tensor([[1.0, -2.0, 1.5]])",
}
"""Wrong answers that show no slip: the zero kernel, three times the Laplacian, a kernel that
ignores d (one order off for d = 1 and 3 only), no blur at all, and a kernel that is no derivative."""


@pytest.mark.parametrize("function", sorted(UNNAMED))
def test_wrong_answers_without_a_slip_get_no_name(function, tmp_path):
    module = UNIT.module_of(function)
    report = grade_in_process(module, replaced(module, function, UNNAMED[function]), tmp_path)
    score, maximum = report.exercise_score(function)
    assert score < maximum
    assert report.mistakes() == []


def test_an_integer_kernel_is_judged_like_any_other(tmp_path):
    source = replaced("ex5_hand_kernels", "second_derivative_kernel", "return torch.tensor([[1, -2, 1]])")
    assert full_marks(grade_in_process("ex5_hand_kernels", source, tmp_path), "second_derivative_kernel")


def test_the_second_derivative_slips_are_named(tmp_path):
    """The same mistakes in second_derivative_kernel, where the order is fixed."""
    for body, mistake in (
        ("return torch.tensor([[-1.0, 2.0, -1.0]])", "derivative_negated"),
        ("return torch.tensor([[-1.0, 1.0]])", "derivative_order_off_by_one"),
    ):
        source = replaced("ex5_hand_kernels", "second_derivative_kernel", body)
        report = grade_in_process("ex5_hand_kernels", source, tmp_path)
        assert set(report.mistakes()) == {mistake}, body


def test_every_slip_and_mistake_is_in_the_unit_and_tested():
    ids = {slip.mistake for slip in (*slips3.SLIPS, *slips5.SLIPS)}
    assert ids <= set(UNIT.mistakes)
    assert ids == set(SLIPPED)


def test_every_slip_model_differs_from_the_reference_on_its_probes():
    """A slip that gives the right answer proves nothing: its model must differ (or, for a slip told
    by a property, the reference must not show the property) on some probe."""
    from autograder.units.fc_to_conv.checks import ex3_strict_conv as checks3
    from autograder.units.fc_to_conv.checks import ex5_hand_kernels as checks5

    references: dict[str, Callable[..., object]] = {
        "conv2d_strict": checks3.strict_conv,
        "same_as_correlation": checks3.rotation_symmetric,
        "edge_kernel": checks5.reference_edge,
        "second_derivative_kernel": lambda: checks5.reference_derivative(2),
        "laplace_kernel": checks5.reference_laplace,
        "blur_kernel": checks5.reference_blur,
        "derivative_kernel": checks5.reference_derivative,
    }
    probes = {**slips3.PROBES, **slips5.PROBES}
    assert set(probes) == set(references)
    for slip in (*slips3.SLIPS, *slips5.SLIPS):
        told = False
        for args in probes[slip.exercise]:
            if not slip.applies(*args):
                continue
            right, model = references[slip.exercise](*args), slip.model(*args)
            if slip.shows is not None:
                assert slip.shows(model, *args), (slip.mistake, args)
                told |= not slip.shows(right, *args)
            elif isinstance(right, torch.Tensor):
                told |= model.shape != right.shape or not torch.allclose(model.double(), right.double())
            else:
                told |= model != right
        assert told, slip.mistake


def test_the_solutions_score_full_points_in_the_sandbox(grade):
    report = grade({f"{m}.py": SOLUTIONS[m].encode() for m in MODULES})
    for module in MODULES:
        for exercise in UNIT.tags_of(module):
            assert full_marks(report, exercise), exercise
    assert not [t for t in report.tests if t.exercise in UNIT.tags_of("ex5_hand_kernels") and t.status != "passed"]


@pytest.mark.parametrize("mistake", ["strict_conv_one_axis", "edge_along_v", "derivative_negated"])
def test_slips_are_named_in_the_sandbox(grade, mistake):
    function, body = SLIPPED[mistake]
    module = UNIT.module_of(function)
    report = grade({f"{module}.py": replaced(module, function, body).encode()})
    named = {t.feedback.mistake for t in report.tests if t.exercise == function and t.feedback}
    assert named == {mistake}
